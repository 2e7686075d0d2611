/**
 * `npm run bench`: the reference server against Prism, against itself without response
 * validation, and against a bare node:http baseline, all measured in one run. Prints a table and
 * writes the same data to bench/results.json. Not part of `npm test`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { rootDir } from '../registry.ts';
import { helpText, parseOptions, UsageError, type OptionSpec } from '../cli/options.ts';
import { benchBigTransfer } from './big-transfer.ts';
import { benchJsonUpload } from './json-upload.ts';
import { installCleanup, stopAll } from './processes.ts';
import { PhaseNotRun, type Check, type PhaseOutcome, type Row } from './report.ts';
import { benchScaleOut } from './scale-out.ts';
import { benchSmallRequests } from './small-requests.ts';
import { benchStartup } from './startup.ts';
import { benchApis } from './apis.ts';
import { renderTable } from './table.ts';

const specs: OptionSpec[] = [
  { name: 'duration', type: 'string', default: '10', valueName: 'SECONDS', description: 'length of each measured load phase (small GET / small upload, per target)' },
  { name: 'warmup', type: 'string', default: '2', valueName: 'SECONDS', description: 'unmeasured load before each load phase' },
  { name: 'connections', type: 'string', default: '50', valueName: 'N', description: 'concurrent connections of each load phase' },
  { name: 'rounds', type: 'string', default: '2', valueName: 'N', description: 'interleaved rounds the --duration of each target is split into (A B C A B C), so drifting machine load hits all alike' },
  { name: 'api', type: 'string', defaultLabel: 'every API whose test/<id>/bench.ts has small operations', valueName: 'IDS', description: 'APIs whose small GET and upload are measured (comma-separated; empty skips them)' },
  { name: 'small-bytes', type: 'string', default: '1024', valueName: 'BYTES', description: 'file size of the small upload' },
  { name: 'big-mib', type: 'string', default: '1024', valueName: 'MIB', description: 'size of the multipart upload/download file (0 skips it)' },
  { name: 'big-rounds', type: 'string', default: '2', valueName: 'N', description: 'rounds of the big transfers and of the base64 JSON upload (reference, then bare, each round); throughput is the best round, memory the worst' },
  { name: 'json-upload-mib', type: 'string', default: '100', valueName: 'MIB', description: 'size of the base64 JSON upload (of the first API whose test/<id>/bench.ts offers one), measured beside a multipart and a bare upload of the same size (0 skips it)' },
  { name: 'startup-rounds', type: 'string', default: '5', valueName: 'N', description: 'rounds of the start-up phase (compiled attachkit serve vs Prism mock, to the first answer; 0 skips it)' },
  {
    name: 'scale-out-mib',
    type: 'string',
    default: '256',
    valueName: 'MIB',
    description:
      'big file of the scale-out comparison (one instance on SQLite vs one and two behind nginx on PostgreSQL + S3, started from .ci/engines; small GETs and uploads use --duration and --connections); 0 skips the comparison',
  },
  { name: 'out', type: 'string', default: 'bench/results.json', valueName: 'FILE', description: 'where the results are written' },
];

function positive(values: Record<string, unknown>, name: string, allowZero = false): number {
  const n = Number(values[name]);
  if (!Number.isFinite(n) || n < 0 || (!allowZero && n === 0)) throw new UsageError(`--${name} must be a ${allowZero ? 'non-negative' : 'positive'} number, got '${values[name]}'`);
  return n;
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseOptions(argv, specs);
  if (values.help) {
    console.log(
      helpText(
        'npm run bench -- [options]',
        [
          'Measures the reference server, phase by phase: start-up to the first answer vs Prism (after npm run build);',
          'small GETs and uploads vs Prism and with/without response validation (autocannon); a big multipart upload/download',
          'vs a bare node:http baseline; a base64 JSON upload beside multipart and bare; the scale-out store (SQLite vs',
          'PostgreSQL + S3, one and two instances behind nginx). Prints a table, writes JSON.',
          'With the defaults a run takes about 7 minutes on an idle 2-core machine (estimated from the phases: build and',
          'start-up ~1 min; small requests 2 operations × 3 targets × (warm-up + duration) per API, ~2½ min for two APIs;',
          '1 GiB transfers ~1 min; JSON upload under ½ min; scale-out ~2 min, engines start included).',
          'A phase that cannot run here (scale-out without PostgreSQL, Swift or nginx) is listed as not run with its reason;',
          'the other phases are still printed and written. Exit status 1 when an integrity check fails (a non-2xx answer under',
          'load, a download whose sha256 or Content-Length is wrong) or a phase fails; goals met or not do not change it.',
        ].join('\n'),
        specs,
      ),
    );
    return 0;
  }
  const settings = {
    duration: positive(values, 'duration'),
    warmup: positive(values, 'warmup', true),
    connections: Math.floor(positive(values, 'connections')),
    rounds: Math.max(1, Math.floor(positive(values, 'rounds'))),
  };
  const bigRounds = Math.max(1, Math.floor(positive(values, 'big-rounds')));
  const apiIds = values.api === undefined ? (await benchApis()).filter((a) => a.small).map((a) => a.id) : String(values.api).split(',').filter(Boolean);
  const smallBytes = Math.floor(positive(values, 'small-bytes'));
  const bigMiB = Math.floor(positive(values, 'big-mib', true));
  const jsonUploadMiB = Math.floor(positive(values, 'json-upload-mib', true));
  const startupRounds = Math.floor(positive(values, 'startup-rounds', true));
  const scaleOutMiB = Math.floor(positive(values, 'scale-out-mib', true));
  const out = path.resolve(rootDir, String(values.out));

  installCleanup();
  const started = new Date();
  const loadAtStart = os.loadavg().map((l) => Number(l.toFixed(2)));
  const log = (line: string) => console.error(`[${((Date.now() - started.getTime()) / 1000).toFixed(0).padStart(3)}s] ${line}`);
  const rows: Row[] = [];
  const checks: Check[] = [];
  const raw: Record<string, unknown> = {};
  const phases: PhaseOutcome[] = [];
  /**
   * One phase: its rows and checks join the table, its figures go under raw[key]. A phase that
   * cannot run here (PhaseNotRun) or throws is listed with its reason and the run goes on, so
   * what the other phases measured is still printed and written; one that threw fails the run.
   */
  const phase = async (name: string, skippedBy: string | undefined, key: string, run: () => Promise<{ rows: Row[]; checks: Check[]; figures: unknown }>) => {
    if (skippedBy) return void phases.push({ phase: name, status: 'skipped', reason: skippedBy });
    const since = Date.now();
    const seconds = () => (Date.now() - since) / 1000;
    try {
      const result = await run();
      rows.push(...result.rows);
      checks.push(...result.checks);
      raw[key] = result.figures;
      phases.push({ phase: name, status: 'ran', seconds: seconds() });
    } catch (error) {
      const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0];
      if (error instanceof PhaseNotRun) {
        log(`${name}: not run: ${reason}`);
        phases.push({ phase: name, status: 'not run', reason });
      } else {
        log(`${name} failed: ${error instanceof Error ? error.stack : reason}`);
        phases.push({ phase: name, status: 'failed', reason, seconds: seconds() });
        checks.push({ name: `${name} phase completed`, ok: false, detail: reason });
      }
    }
  };
  try {
    await phase('start-up', startupRounds > 0 ? undefined : '--startup-rounds 0', 'startup', () => benchStartup(startupRounds, log));
    await phase('small requests', apiIds.length ? undefined : '--api is empty', 'loadPhases', async () => {
      const small = await benchSmallRequests(apiIds, settings, smallBytes, log);
      return { ...small, figures: small.phases };
    });
    await phase('big transfers', bigMiB > 0 ? undefined : '--big-mib 0', 'transfers', async () => {
      const big = await benchBigTransfer(bigMiB, bigRounds, log);
      return { ...big, figures: big.transfers };
    });
    await phase('JSON upload', jsonUploadMiB > 0 ? undefined : '--json-upload-mib 0', 'jsonUpload', async () => {
      const upload = await benchJsonUpload(jsonUploadMiB, bigRounds, log);
      return { ...upload, figures: upload.upload };
    });
    await phase('scale-out', scaleOutMiB > 0 ? undefined : '--scale-out-mib 0', 'scaleOut', () => benchScaleOut(settings, smallBytes, scaleOutMiB, log));
  } finally {
    await stopAll();
  }
  const finished = new Date();
  const loadAtEnd = os.loadavg().map((l) => Number(l.toFixed(2)));
  const seconds = (finished.getTime() - started.getTime()) / 1000;
  const cpus = os.cpus().length;
  console.log(`machine: ${cpus} CPUs, ${os.cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}; load average (1/5/15 min) before the run ${loadAtStart.join(' ')}, after it (its own load included) ${loadAtEnd.join(' ')}`);
  if (loadAtStart[0] > cpus / 2) console.log('warning: other work was running on this machine when the run started; throughput figures are noisy (the CPU-per-request rows are less affected)');
  console.log('');
  console.log(renderTable(rows, checks, phases));
  console.log(`\nrun took ${seconds.toFixed(0)} s; results in ${path.relative(process.cwd(), out) || out}`);
  const results = {
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    durationSeconds: seconds,
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryMiB: Math.round(os.totalmem() / 1024 / 1024), node: process.version, platform: `${os.platform()} ${os.release()}` },
    settings: { ...settings, startupRounds, apis: apiIds, smallBytes, bigMiB, bigRounds, jsonUploadMiB, scaleOutMiB },
    loadAverage: { atStart: loadAtStart, atEnd: loadAtEnd },
    phases,
    rows,
    checks,
    raw,
  };
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  return checks.every((c) => c.ok) ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      console.error(error.message);
      process.exitCode = 2;
    } else {
      console.error(error);
      process.exitCode = 1;
    }
  },
);
