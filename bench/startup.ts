import { spawnSync } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { apis, rootDir } from '../registry.ts';
import { allocatePort, cpuMsOf, spawnNode, stopService } from './processes.ts';
import { writeFlattenedContract, prismArgs } from '../cli/mock.ts';
import type { Check, Row } from './report.ts';

/**
 * Start-up as a user meets it: from spawning the process to the first answered request. The
 * reference server runs compiled (dist/, as the package ships it; rebuilt first), every API of the
 * registry in one process; Prism's mock runs on each contract alone, as `attachkit mock` starts it.
 * Rounds interleave (serve, Prism per API, serve, …) so drifting machine load hits both alike.
 */
export interface StartupFigures {
  serveFirstMs: number[];
  serveAllMs: number[];
  /** CPU time (user + system) the server process had used when every API had answered. */
  serveCpuMs: number[];
  prismMs: Record<string, number[]>;
  prismCpuMs: Record<string, number[]>;
}

/** One GET; resolves on any answer (a status line is an answer), rejects when nothing listens. */
function probe(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false }, (res) => {
      res.resume();
      res.once('end', resolve);
    });
    req.once('error', reject);
  });
}

/** Milliseconds from `since` until each URL has answered once, polling every 10 ms. */
async function answeredAfter(since: number, urls: string[], deadlineMs = 60_000): Promise<number[]> {
  return Promise.all(
    urls.map(async (url) => {
      for (;;) {
        try {
          await probe(url);
          return performance.now() - since;
        } catch {
          if (performance.now() - since > deadlineMs) throw new Error(`${url} did not answer within ${deadlineMs} ms`);
          await new Promise((r) => setTimeout(r, 10));
        }
      }
    }),
  );
}

async function timeServe(): Promise<{ first: number; all: number; cpu: number }> {
  const port = await allocatePort();
  const site = `http://127.0.0.1:${port}`;
  const since = performance.now();
  const child = spawnNode([path.join(rootDir, 'bin/attachkit.js'), 'serve', '--in-memory', '--port', String(port)], { ...process.env, ATTACHKIT_COMPILED: '1' });
  try {
    // An unauthenticated GET under each API's base path: its pipeline answers in its own dialect.
    const times = await answeredAfter(since, apis.map((api) => `${site}${api.basePath}/`));
    return { first: Math.min(...times), all: Math.max(...times), cpu: cpuMsOf(child.pid!) };
  } finally {
    await stopService(child);
  }
}

async function timePrism(contract: string): Promise<{ ms: number; cpu: number }> {
  const port = await allocatePort();
  const since = performance.now();
  const child = spawnNode(prismArgs(contract, { port, host: '127.0.0.1' }));
  try {
    const [ms] = await answeredAfter(since, [`http://127.0.0.1:${port}/`]);
    return { ms, cpu: cpuMsOf(child.pid!) };
  } finally {
    await stopService(child);
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const goalMs = 1500;

export async function benchStartup(rounds: number, log: (line: string) => void): Promise<{ rows: Row[]; checks: Check[]; figures: StartupFigures }> {
  log('building dist/ (npm run build): start-up is measured on the compiled package');
  const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: rootDir, stdio: 'inherit' });
  if (build.status !== 0) throw new Error(`npm run build failed (${build.status})`);
  const contracts = new Map(apis.map((api) => [api.id, writeFlattenedContract(api)]));
  const perApi = () => Object.fromEntries(apis.map((a) => [a.id, [] as number[]]));
  const figures: StartupFigures = { serveFirstMs: [], serveAllMs: [], serveCpuMs: [], prismMs: perApi(), prismCpuMs: perApi() };
  try {
    for (let round = 1; round <= rounds; round++) {
      const serve = await timeServe();
      figures.serveFirstMs.push(serve.first);
      figures.serveAllMs.push(serve.all);
      figures.serveCpuMs.push(serve.cpu);
      const prism: string[] = [];
      for (const api of apis) {
        const { ms, cpu } = await timePrism(contracts.get(api.id)!.file);
        figures.prismMs[api.id].push(ms);
        figures.prismCpuMs[api.id].push(cpu);
        prism.push(`${api.id} ${ms.toFixed(0)} (CPU ${cpu})`);
      }
      log(`start-up round ${round}/${rounds}: serve first answer ${serve.first.toFixed(0)} ms, every API ${serve.all.toFixed(0)} ms (CPU ${serve.cpu} ms); Prism ${prism.join(', ')} ms`);
    }
  } finally {
    for (const contract of contracts.values()) contract.remove();
  }
  const section = `start-up to first answer (median of ${rounds} rounds)`;
  const serve = `attachkit serve (${apis.length} APIs)`;
  const versus = (metric: string, values: number[], baselineLabel: string, baselineValues: number[], extra: Partial<Row>): Row => {
    const value = median(values);
    const baseline = median(baselineValues);
    return { section, metric, unit: 'ms', value, baseline: { label: baselineLabel, value: baseline }, ratio: { value: value / baseline, unit: '×' }, ...extra };
  };
  const prismWall = Object.values(figures.prismMs).flat();
  const prismLabel = `Prism mock, median over ${apis.length} contracts`;
  const rows: Row[] = [
    versus(`${serve}: first answer`, figures.serveFirstMs, prismLabel, prismWall, { goal: `≤ ${goalMs} ms`, met: median(figures.serveFirstMs) <= goalMs }),
    versus(`${serve}: every API answered`, figures.serveAllMs, prismLabel, prismWall, { goal: `≤ ${goalMs} ms`, met: median(figures.serveAllMs) <= goalMs }),
    versus(`${serve}: CPU time until every API answered`, figures.serveCpuMs, `Prism mock's CPU time, median over ${apis.length} contracts`, Object.values(figures.prismCpuMs).flat(), {
      note: 'user + system time of the process, which other load on the machine barely changes: on an idle machine the wall time is about this plus a few tens of ms',
    }),
    ...apis.map((api) => ({ section, metric: `Prism mock of ${api.id}`, unit: 'ms', value: median(figures.prismMs[api.id]) })),
  ];
  return { rows, checks: [], figures };
}
