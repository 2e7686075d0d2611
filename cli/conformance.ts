import path from 'node:path';
import { apiIds, findApi, type ApiEntry } from '../registry.ts';
import { writeBaseline } from '../conformance/kit/baseline.ts';
import { defaultNegativeLimit, defaultSeed, preflight, prepareTarget } from '../conformance/kit/prepare-target.ts';
import { runConformance, scenarioFiles } from '../conformance/kit/run.ts';
import { helpText, parseOptions, UsageError, type OptionSpec } from './options.ts';

const sharedOptions: OptionSpec[] = [
  { name: 'base-url', type: 'string', default: 'http://127.0.0.1:4010', valueName: 'ORIGIN', description: "site root of the deployment; the suite appends the API's base path" },
  { name: 'report-dir', type: 'string', valueName: 'DIR', description: 'write junit.xml, report.json and report.html here' },
  { name: 'read-only', type: 'boolean', description: "send no writes: only GETs, on the ids given with the API's --*-id options" },
  { name: 'keep', type: 'boolean', description: 'leave the records the run creates (named attachkit-<run id>-…) instead of deleting them' },
  { name: 'baseline', type: 'string', valueName: 'FILE', description: "accept the known deviations in FILE; fail only on new ones" },
  { name: 'write-baseline', type: 'string', valueName: 'FILE', description: "record this run's deviations in FILE (then exit 0)" },
  { name: 'strict', type: 'boolean', description: 'observations (failed assumptions: behaviour neither the vendor\'s docs nor its source settle) fail the run too' },
  { name: 'stateless', type: 'boolean', description: "only replay the contract's named examples (for a stateless mock such as 'attachkit mock')" },
  { name: 'seed', type: 'string', default: String(defaultSeed), valueName: 'N', description: 'seed of the negative phase, to repeat a run exactly' },
  { name: 'negative-limit', type: 'string', default: String(defaultNegativeLimit), valueName: 'N', description: 'most generated invalid requests per operation (0 skips the negative phase)' },
];

function credentialOptions(entry: ApiEntry): OptionSpec[] {
  return entry.credentials.map((c) => ({
    name: c.flag,
    type: 'string' as const,
    description: c.description,
    defaultLabel:
      c.devDefault === undefined ? `$${c.env}, else none` : c.secret ? `the reference server's development value, or $${c.env}` : `${c.devDefault}, or $${c.env}`,
  }));
}

function usageText(): string {
  return helpText(
    `attachkit conformance <${apiIds().join('|')}> [options]`,
    [
      'Runs the conformance suite over HTTP against a deployment and reports where it departs from the contract.',
      'Exit codes: 0 no check and no documented or source-read expectation failed (observations, failed assumptions, are reported but do not count unless --strict);',
      '1 one did; 2 bad usage, unreachable target or rejected credentials.',
      "Run 'attachkit conformance <api> --help' for the API's credential and scenario options.",
    ].join('\n'),
    sharedOptions,
  );
}

export async function conformance(argv: string[]): Promise<number> {
  const id = argv.find((a) => !a.startsWith('-'));
  const entry = id ? findApi(id) : undefined;
  if (!entry) {
    if (argv.includes('--help')) {
      console.log(usageText());
      return 0;
    }
    throw new UsageError(id ? `unknown API '${id}'; known: ${apiIds().join(', ')}` : `name an API: ${apiIds().join(', ')}`);
  }
  const api = await entry.conformance();
  const specs = [...sharedOptions, ...credentialOptions(entry), ...api.options];
  const { values } = parseOptions(argv.filter((a) => a !== id), specs);
  if (values.help) {
    console.log(
      helpText(`attachkit conformance ${entry.id} [options]`, `Checks a deployment of the ${entry.title} against openapi/${entry.id}.yaml.\n${api.sideEffects}`, specs),
    );
    return 0;
  }

  const target = prepareTarget(entry, api, {
    baseUrl: String(values['base-url']),
    credentials: Object.fromEntries(entry.credentials.map((c) => [c.flag, values[c.flag] as string | undefined])),
    options: Object.fromEntries(api.options.map((o) => [o.name, values[o.name] as string | boolean | undefined])),
    stateless: Boolean(values.stateless),
    readOnly: Boolean(values['read-only']),
    keep: Boolean(values.keep),
    strict: Boolean(values.strict),
    seed: values.seed as string,
    negativeLimit: values['negative-limit'] as string,
    baseline: values.baseline as string | undefined,
  });

  const problem = await preflight(entry, api, target);
  if (problem) {
    console.error(`attachkit conformance ${entry.id}: ${problem}`);
    return 2;
  }
  const mode = target.stateless ? 'stateless' : target.readOnly ? 'read-only' : 'full';
  console.error(`attachkit conformance ${entry.id} → ${target.baseUrl}${entry.basePath} (${mode}, run ${target.runId})`);
  const { exitCode, reporter } = await runConformance(target, await scenarioFiles(target, api), values['report-dir'] as string | undefined);
  if (values['write-baseline'] !== undefined && reporter.report) {
    const file = path.resolve(String(values['write-baseline']));
    const count = writeBaseline(file, reporter.report);
    console.error(`wrote ${count} known deviation${count === 1 ? '' : 's'} to ${file}`);
    return 0;
  }
  return exitCode;
}
