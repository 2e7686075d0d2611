/**
 * `npm run bench:conformance`: how long `attachkit conformance <api>` takes against the reference
 * server, per API, and where the time goes. Each run is a real CLI process (as a user starts it)
 * against the reference server in its own process; the figures come from the run's stderr lines
 * (timestamped as they arrive) and its report.json. Baselines measured in the same run: a bare
 * `node` start and `attachkit --help` (the CLI's TypeScript loader and imports). Goal: a full run
 * per API under 15 s on an idle 2-core machine. Not part of `npm test`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { apiIds, rootDir } from '../registry.ts';
import { helpText, parseOptions, UsageError, type OptionSpec } from '../cli/options.ts';
import type { ConformanceReport } from '../conformance/kit/report.ts';
import { installCleanup, makeTempDir, spawnNode, startReference, stopAll } from './processes.ts';

const goalSeconds = 15;
const cli = path.join(rootDir, 'bin/attachkit.js');

const specs: OptionSpec[] = [
  { name: 'api', type: 'string', default: apiIds().join(','), valueName: 'IDS', description: 'APIs to time (comma-separated)' },
  { name: 'rounds', type: 'string', default: '1', valueName: 'N', description: 'runs per API, each against a fresh reference server; the table shows the slowest' },
];

interface Timed {
  /** ms since spawn at which each stderr line arrived. */
  lines: Array<{ at: number; text: string }>;
  wallMs: number;
  code: number;
}

/** Runs `node args`, timestamping every stderr line from the spawn. */
function timed(args: string[]): Promise<Timed> {
  const started = performance.now();
  const child = spawnNode(args);
  const lines: Timed['lines'] = [];
  let partial = '';
  child.stdout!.resume();
  child.stderr!.on('data', (chunk: Buffer) => {
    const at = performance.now() - started;
    const parts = (partial + chunk.toString()).split('\n');
    partial = parts.pop()!;
    for (const text of parts) lines.push({ at, text });
  });
  return new Promise((resolve) => child.once('close', (code) => resolve({ lines, wallMs: performance.now() - started, code: code ?? -1 })));
}

interface Figures {
  api: string;
  wallMs: number;
  /** Spawn until the CLI prints its run line (loader, imports, option parsing, preflight). */
  startMs: number;
  /** From there to the first scenario's line (vitest start, the worker, collecting the files). */
  vitestMs: number;
  /** First to last scenario line: the scenarios themselves. */
  scenariosMs: number;
  /** Sum of the exchanges' round trips (client-side fetch to last body byte). */
  requestsMs: number;
  requests: number;
  /**
   * Time inside scenarios not spent in a round trip, summed over every scenario (its duration minus
   * its exchanges'): deliberate sleeps (e.g. waiting for a token to expire) and the suite's own work.
   */
  outsideRequestsMs: number;
  /** Last scenario line to exit: coverage, summary, report.json/html, JUnit, vitest teardown. */
  endMs: number;
  checks: number;
  observations: number;
  verdict: string;
  code: number;
}

async function timeOne(api: string): Promise<Figures> {
  const server = await startReference({ apis: apiIds(), validateResponses: true });
  const reportDir = makeTempDir('conformance-time-');
  try {
    const run = await timed([cli, 'conformance', api, '--base-url', server.url, '--report-dir', reportDir]);
    const report = JSON.parse(fs.readFileSync(path.join(reportDir, 'report.json'), 'utf8')) as ConformanceReport;
    const runLine = run.lines.find((l) => l.text.startsWith(`attachkit conformance ${api} →`));
    const scenarioLines = run.lines.filter((l) => /^ {2}[✓✗~-] /.test(l.text));
    const exchanges = report.scenarios.flatMap((s) => s.exchanges);
    const outsideRequestsMs = report.scenarios.reduce((n, s) => n + Math.max(0, s.durationMs - s.exchanges.reduce((m, e) => m + e.durationMs, 0)), 0);
    const first = scenarioLines[0]?.at ?? run.wallMs;
    const last = scenarioLines.at(-1)?.at ?? run.wallMs;
    return {
      api,
      wallMs: run.wallMs,
      startMs: runLine?.at ?? NaN,
      vitestMs: first - (runLine?.at ?? 0),
      scenariosMs: last - first,
      requestsMs: exchanges.reduce((n, e) => n + e.durationMs, 0),
      requests: exchanges.length,
      outsideRequestsMs,
      endMs: run.wallMs - last,
      checks: report.summary.checks,
      observations: report.summary.observations,
      verdict: report.summary.verdict,
      code: run.code,
    };
  } finally {
    await server.stop();
  }
}

const s = (ms: number) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(2)} s` : '—');

async function main(argv: string[]): Promise<number> {
  const { values } = parseOptions(argv, specs);
  if (values.help) {
    console.log(
      helpText(
        'npm run bench:conformance -- [options]',
        `Times 'attachkit conformance <api>' against the reference server and shows where the time goes (goal: under ${goalSeconds} s per API on an idle 2-core machine).\nExit status: 0 when every API met the goal and passed, 1 otherwise. Takes about 10 s per API and round.`,
        specs,
      ),
    );
    return 0;
  }
  const ids = String(values.api).split(',').filter(Boolean);
  for (const id of ids) if (!apiIds().includes(id)) throw new UsageError(`unknown API '${id}'; known: ${apiIds().join(', ')}`);
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1) throw new UsageError(`--rounds must be a whole number ≥ 1, got '${values.rounds}'`);
  installCleanup();

  const [load1] = os.loadavg();
  console.log(`machine: ${os.cpus().length} cores, load average ${load1.toFixed(2)} at start (an idle machine is near 0)`);
  const bare = await timed(['-e', '']);
  const help = await timed([cli, '--help']);
  console.log(`baselines: node start ${s(bare.wallMs)}; attachkit --help (tsx loader + CLI) ${s(help.wallMs)}\n`);

  const rows: Figures[] = [];
  for (const api of ids) {
    const runs: Figures[] = [];
    for (let round = 0; round < rounds; round++) runs.push(await timeOne(api));
    rows.push(runs.reduce((a, b) => (b.wallMs > a.wallMs ? b : a)));
  }
  const head = ['api', 'wall', 'cli start', 'vitest start', 'scenarios', 'requests', 'outside requests', 'end', 'checks', 'observations', 'verdict', `< ${goalSeconds} s`];
  const body = rows.map((r) => [
    r.api,
    s(r.wallMs),
    s(r.startMs),
    s(r.vitestMs),
    s(r.scenariosMs),
    `${s(r.requestsMs)} (${r.requests})`,
    s(r.outsideRequestsMs),
    s(r.endMs),
    String(r.checks),
    String(r.observations),
    `${r.verdict} (exit ${r.code})`,
    r.wallMs < goalSeconds * 1000 ? 'yes' : 'NO',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  console.log([line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n'));
  console.log(
    '\nwall = cli start + vitest start + scenarios + end. requests: sum of round trips (count); outside requests: each scenario\'s duration minus its round trips, summed (deliberate sleeps such as waiting for a token to expire, checks, schema validation).',
  );
  return rows.every((r) => r.wallMs < goalSeconds * 1000 && r.code === 0) ? 0 : 1;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(`bench:conformance: ${error.message}`);
  process.exitCode = 2;
} finally {
  await stopAll();
}
