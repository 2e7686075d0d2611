import { spawn } from 'node:child_process';
import fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { apis, rootDir } from '../../registry.ts';
import { createApp } from '../../server/app.ts';
import { openStore } from '../../server/store/open-store.ts';
import type { ConformanceReport } from '../kit/report.ts';

export interface MutantResult {
  api: string;
  /** `clean` for the server without faults. */
  fault: string;
  description: string;
  exitCode: number;
  /** clean: passed = the suite passed; fault: killed = the suite failed (exit 1, run with --strict). */
  verdict: 'passed' | 'false-failure' | 'killed' | 'survived' | 'error';
  /**
   * What saw a killed fault: a failed check or documented/source expectation (a plain run fails
   * too), or only observations, failed assumptions (only a --strict run fails).
   */
  killedBy?: 'failure' | 'observation';
  failedChecks: string[];
  /** Every expectation the API registers (from the run's report), so the table can name those no fault broke. */
  expectations: string[];
  detail: string;
}

/** The reference server with one fault on, on port 0 and a throwaway store. */
async function serve(api: string, fault?: string): Promise<{ url: string; close(): Promise<void> }> {
  const store = await openStore({ dataDir: '', inMemory: true });
  const { app } = await createApp({ store, apis: [api], faults: fault ? [`${api}.${fault}`] : [] });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => {
          void store.close().then(() => resolve());
        });
        server.closeAllConnections();
      }),
  };
}

function conformance(api: string, url: string, reportDir: string): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    // --strict: a fault the suite sees only as an observation (a failed assumption) still counts.
    const child = spawn(process.execPath, [path.join(rootDir, 'bin/attachkit.js'), 'conformance', api, '--base-url', url, '--report-dir', reportDir, '--strict'], {
      cwd: rootDir,
      env: process.env,
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.stdout.resume();
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stderr }));
  });
}

async function runOne(api: string, fault: string | undefined, description: string): Promise<MutantResult> {
  const reportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'attachkit-mutant-'));
  const server = await serve(api, fault);
  try {
    const { code, stderr } = await conformance(api, server.url, reportDir);
    const reportFile = path.join(reportDir, 'report.json');
    const report = fs.existsSync(reportFile) ? (JSON.parse(fs.readFileSync(reportFile, 'utf8')) as ConformanceReport) : undefined;
    const failedChecks = [
      ...(report?.checks.filter((c) => c.failed + c.observations > 0).map((c) => c.check) ?? []),
      ...(report?.expectations.filter((e) => e.failed + e.observations > 0).map((e) => e.name) ?? []),
    ];
    const verdict = fault === undefined ? (code === 0 ? 'passed' : 'false-failure') : code === 1 ? 'killed' : code === 0 ? 'survived' : 'error';
    const killedBy = verdict === 'killed' && report ? (report.summary.failedChecks > 0 || report.summary.observations === 0 ? 'failure' : 'observation') : undefined;
    const firstFailure = stderr.split('\n').find((line) => line.trim().startsWith('[')) ?? stderr.trim().split('\n').pop() ?? '';
    const expectations = report?.expectations.map((e) => e.name) ?? [];
    return { api, fault: fault ?? 'clean', description, exitCode: code, verdict, killedBy, failedChecks, expectations, detail: firstFailure.trim() };
  } finally {
    await server.close();
    fs.rmSync(reportDir, { recursive: true, force: true });
  }
}

/** Runs the suite against the clean server and against every selected fault of every selected API. */
export async function runMutants(
  options: { apis?: string[]; faults?: string[]; concurrency?: number; clean?: boolean; onResult?: (r: MutantResult) => void } = {},
): Promise<MutantResult[]> {
  const jobs: Array<() => Promise<MutantResult>> = [];
  for (const entry of apis.filter((a) => !options.apis || options.apis.includes(a.id))) {
    const server = await entry.server();
    if (options.clean !== false) jobs.push(() => runOne(entry.id, undefined, 'no fault'));
    for (const fault of server.faults) {
      if (options.faults && !options.faults.includes(`${entry.id}.${fault.id}`)) continue;
      jobs.push(() => runOne(entry.id, fault.id, fault.description));
    }
  }
  const results: MutantResult[] = [];
  let next = 0;
  const workers = Array.from({ length: Math.max(1, options.concurrency ?? 2) }, async () => {
    while (next < jobs.length) {
      const result = await jobs[next++]();
      results.push(result);
      options.onResult?.(result);
    }
  });
  await Promise.all(workers);
  return results;
}

export function mutantTable(results: MutantResult[]): string {
  const lines: string[] = [];
  for (const api of [...new Set(results.map((r) => r.api))]) {
    const rows = results.filter((r) => r.api === api);
    const clean = rows.find((r) => r.fault === 'clean');
    const mutants = rows.filter((r) => r.fault !== 'clean').sort((a, b) => a.fault.localeCompare(b.fault));
    const killed = mutants.filter((r) => r.verdict === 'killed').length;
    lines.push(`\n${api}: clean server ${clean?.verdict === 'passed' ? 'passed (0 false failures)' : `FAILED (${clean?.detail})`}`);
    const width = Math.max(...mutants.map((m) => m.fault.length), 5);
    for (const m of mutants) {
      const mark = m.verdict === 'killed' ? (m.killedBy === 'observation' ? 'observed' : 'killed  ') : m.verdict === 'survived' ? 'SURVIVED' : 'ERROR   ';
      lines.push(`  ${mark} ${m.fault.padEnd(width)}  ${m.verdict === 'killed' ? m.failedChecks.join(', ') : m.detail}`);
    }
    const rate = mutants.length ? (100 * killed) / mutants.length : 0;
    const observed = mutants.filter((m) => m.killedBy === 'observation').length;
    lines.push(
      `  ${api} kill rate: ${killed}/${mutants.length} = ${rate.toFixed(1)}% (with --strict; ${killed - observed} by a failure, ${observed} only by observations of assumed behaviour)`,
    );
    // Which registered expectations some fault made fail: the faults double as each expectation's proof that it can.
    const registered = [...new Set(rows.flatMap((r) => r.expectations))].sort();
    const broken = new Set(mutants.flatMap((m) => m.failedChecks));
    const untouched = registered.filter((name) => !broken.has(name));
    lines.push(`  expectations a fault made fail: ${registered.length - untouched.length}/${registered.length}${untouched.length ? `; none did: ${untouched.join(', ')}` : ''}`);
  }
  return lines.join('\n');
}

// `npm run mutants [-- --api <id>] [-- --concurrency 3]`
if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const pick = (flag: string) => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const selected = pick('--api')?.split(',');
  const results = await runMutants({
    apis: selected,
    concurrency: Number(pick('--concurrency') ?? 2),
    onResult: (r) => process.stderr.write(`  ${r.api}.${r.fault}: ${r.verdict}\n`),
  });
  console.log(mutantTable(results));
  const perfect = results.every((r) => r.verdict === 'passed' || r.verdict === 'killed');
  process.exitCode = perfect ? 0 : 1;
}
