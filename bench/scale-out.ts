import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freshBucket, freshDatabase, loadBalancer, sharedEngines, stopSharedEngines, type LoadBalancer } from '../test/support/engines.ts';
import { benchApiWith } from './apis.ts';
import { runLoad, type LoadFigures, type LoadTarget } from './load.ts';
import { makeTempDir, memoryOf, startServe, trackPeak, type Service } from './processes.ts';
import { kibToMib, MiB, PhaseNotRun, ratio, type Check, type Row } from './report.ts';
import type { LoadSettings } from './small-requests.ts';
import { transfer } from './transfers.ts';

/** One deployment under test: its site URL and the attachkit processes behind it. */
interface Deployment {
  name: string;
  url: string;
  instances: Service[];
  balancer?: LoadBalancer;
}

export interface ScaleOutFigures {
  deployment: string;
  smallGet: LoadFigures[];
  smallUpload: LoadFigures[];
  upload?: { mibPerSecond: number; rssGrowthMiB: number[] };
  download?: { mibPerSecond: number; rssGrowthMiB: number[] };
}

/**
 * The embedded store against the shared one on this machine, all in one run: one instance on
 * SQLite + files, one instance on PostgreSQL + Swift's S3, and two such instances behind nginx
 * round-robin. Small GETs and small uploads (of the first API whose test/<id>/bench.ts has a
 * multipart upload) under the same load, then one big file up
 * and down, with every instance's RSS watched. PostgreSQL and Swift come from Debian's packages
 * (.ci/engines), started here unless ATTACHKIT_TEST_DATABASE_URL / _S3_ENDPOINT name running ones.
 */
export async function benchScaleOut(settings: LoadSettings, smallBytes: number, bigMiB: number, log: (line: string) => void): Promise<{ rows: Row[]; checks: Check[]; figures: ScaleOutFigures[] }> {
  const missing = missingEngines();
  if (missing.length) throw new PhaseNotRun(`needs ${missing.join(', ')}, not found (Debian's postgresql, swift*, memcached, nginx, curl packages; .ci/engines/install.sh installs them)`);
  const api = await benchApiWith('multipart');
  if (!api.small) throw new Error(`test/${api.id}/bench.ts has a multipart upload but no small operations`);
  log('starting PostgreSQL and Swift (s3api) from .ci/engines, unless given');
  const engines = await sharedEngines();
  const s3env = { AWS_ACCESS_KEY_ID: engines.s3.accessKeyId, AWS_SECRET_ACCESS_KEY: engines.s3.secretAccessKey };
  const maxFile = ['--max-file-mb', String(bigMiB + 64), '--api', api.id];
  const shared = async () => ['--in-memory', '--database-url', await freshDatabase('attachkit_bench'), '--blob-url', `s3://${freshBucket('attachkit-bench')}?endpoint=${encodeURIComponent(engines.s3.endpoint)}&region=${engines.s3.region}`, ...maxFile];
  const deployments: Deployment[] = [];
  const checks: Check[] = [];
  const figures: ScaleOutFigures[] = [];
  try {
    log('starting one instance on SQLite + files, one on PostgreSQL + S3, two on PostgreSQL + S3 behind nginx');
    const sqlite = await startServe('SQLite + files ×1', ['--data-dir', makeTempDir('sqlite-'), ...maxFile]);
    deployments.push({ name: 'SQLite + files, 1 instance', url: sqlite.url, instances: [sqlite] });
    const pg1 = await startServe('PostgreSQL + S3 ×1', await shared(), s3env);
    deployments.push({ name: 'PostgreSQL + S3, 1 instance', url: pg1.url, instances: [pg1] });
    const pgArgs = await shared();
    const pair = [await startServe('PostgreSQL + S3 ×2 (a)', pgArgs, s3env), await startServe('PostgreSQL + S3 ×2 (b)', pgArgs, s3env)];
    const balancer = await loadBalancer(pair.map((s) => s.url));
    deployments.push({ name: 'PostgreSQL + S3, 2 instances behind nginx', url: balancer.url, instances: pair, balancer });

    const ops = await api.small(smallBytes);
    const targets = await Promise.all(
      deployments.map(async (d) => {
        const auth = await ops.credentials(d.url, false);
        const id = await ops.seed(d.url, auth);
        return { deployment: d, get: ops.get(d.url, auth, id), upload: ops.upload(d.url, auth) };
      }),
    );
    for (const d of deployments) figures.push({ deployment: d.name, smallGet: [], smallUpload: [] });
    for (const [operation, label] of [
      ['get', ops.getLabel],
      ['upload', ops.uploadLabel],
    ] as const) {
      log(`  ${label}: ${settings.warmup}s warm-up, then ${settings.rounds} × ${settings.duration / settings.rounds}s per deployment, ${settings.connections} connections`);
      const pick = (t: (typeof targets)[number]): LoadTarget => (operation === 'get' ? t.get : t.upload);
      for (const t of targets) if (settings.warmup > 0) await runLoad(pick(t), settings.connections, settings.warmup);
      for (let round = 0; round < settings.rounds; round++) {
        for (const [i, t] of targets.entries()) {
          const result = await runLoad(pick(t), settings.connections, settings.duration / settings.rounds);
          (operation === 'get' ? figures[i].smallGet : figures[i].smallUpload).push(result);
        }
      }
      for (const [i, d] of deployments.entries()) {
        const rounds = operation === 'get' ? figures[i].smallGet : figures[i].smallUpload;
        const non2xx = rounds.reduce((s, r) => s + r.non2xx + r.errors, 0);
        checks.push({ name: `all 2xx: ${label} → ${d.name}`, ok: non2xx === 0, detail: `${rounds.reduce((s, r) => s + r.requests, 0)} requests, ${non2xx} non-2xx or errors` });
      }
    }

    if (bigMiB > 0) {
      const size = bigMiB * MiB;
      for (const [i, d] of deployments.entries()) {
        const auth = await api.path.auth(d.url);
        log(`  ${bigMiB} MiB multipart upload → ${d.name}`);
        const up = await watched(d, () => transfer({ kind: 'upload', url: api.path.uploadUrl(d.url), headers: auth, body: api.path.body('big.bin', size) }));
        const record = api.path.recordOf(up.result.answer);
        checks.push({ name: `big upload accepted: ${d.name}`, ok: up.result.status < 300 && record.size === size, detail: `status ${up.result.status}, size ${record.size}` });
        if (!record.id) continue;
        log(`  ${bigMiB} MiB download ← ${d.name}`);
        const down = await watched(d, () => transfer({ kind: 'download', url: api.path.downloadUrl(d.url, record.id!), headers: auth }));
        checks.push({ name: `big download sha256 equals the upload's: ${d.name}`, ok: down.result.status === 200 && down.result.sha256 === up.result.sha256, detail: `status ${down.result.status}, ${down.result.bytes} bytes` });
        figures[i].upload = { mibPerSecond: size / MiB / up.result.seconds, rssGrowthMiB: up.growth };
        figures[i].download = { mibPerSecond: size / MiB / down.result.seconds, rssGrowthMiB: down.growth };
      }
    }
    return { rows: scaleOutRows(api.title, figures, bigMiB), checks, figures };
  } finally {
    for (const d of deployments) {
      await d.balancer?.stop();
      for (const instance of d.instances) await instance.stop();
    }
    await stopSharedEngines();
  }
}

/**
 * What this phase needs from the machine and does not find, checked before anything starts: nginx
 * and psql always; PostgreSQL's server and Swift's (what .ci/engines/*.sh start) unless
 * ATTACHKIT_TEST_DATABASE_URL and ATTACHKIT_TEST_S3_ENDPOINT name running ones.
 */
export function missingEngines(): string[] {
  const commands = ['nginx', 'psql'];
  const missing: string[] = [];
  if (!process.env.ATTACHKIT_TEST_DATABASE_URL || !process.env.ATTACHKIT_TEST_S3_ENDPOINT) {
    commands.push('flock', 'setsid', 'curl', 'memcached', 'swift-ring-builder', 'swift-proxy-server', 'swift-object-server', 'swift-container-server', 'swift-account-server');
    if (process.getuid?.() === 0) commands.push('runuser');
    const versions = fs.existsSync('/usr/lib/postgresql') ? fs.readdirSync('/usr/lib/postgresql') : [];
    if (!versions.some((v) => fs.existsSync(`/usr/lib/postgresql/${v}/bin/pg_ctl`))) missing.push('PostgreSQL (/usr/lib/postgresql/*/bin/pg_ctl)');
  }
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  const onPath = (command: string) =>
    dirs.some((dir) => {
      try {
        fs.accessSync(path.join(dir, command), fs.constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
  return [...missing, ...commands.filter((c) => !onPath(c))];
}

/** Runs a transfer while watching every instance's RSS; growth above each one's idle RSS. */
async function watched<T>(d: Deployment, work: () => Promise<T>): Promise<{ result: T; growth: number[] }> {
  await sleep(1000);
  const idle = d.instances.map((s) => kibToMib(memoryOf(s.pid).rssKiB));
  const peaks = d.instances.map((s) => trackPeak(s.pid));
  const result = await work();
  const growth = peaks.map((p, i) => kibToMib(p.stop().peakKiB) - idle[i]);
  return { result, growth };
}

function scaleOutRows(title: string, figures: ScaleOutFigures[], bigMiB: number): Row[] {
  const [base, ...others] = figures;
  const section = `Scale-out store (${title}): ${figures.map((f) => f.deployment).join(' | ')}`;
  const mean = (rounds: LoadFigures[]) => {
    const seconds = rounds.reduce((s, r) => s + r.seconds, 0);
    return seconds > 0 ? rounds.reduce((s, r) => s + r.requestsPerSecond * r.seconds, 0) / seconds : null;
  };
  const p99 = (rounds: LoadFigures[]) => (rounds.length ? Math.max(...rounds.map((r) => r.p99Ms)) : null);
  const rows: Row[] = [];
  for (const f of others) {
    const vs = { label: base.deployment, value: 0 };
    rows.push(
      { section, metric: `small GET requests/s: ${f.deployment}`, unit: 'req/s', value: mean(f.smallGet), baseline: { ...vs, value: mean(base.smallGet) }, ratio: { value: ratio(mean(f.smallGet), mean(base.smallGet)), unit: '×' } },
      { section, metric: `small GET p99 (worst round): ${f.deployment}`, unit: 'ms', value: p99(f.smallGet), baseline: { ...vs, value: p99(base.smallGet) }, ratio: { value: ratio(p99(f.smallGet), p99(base.smallGet)), unit: '×' } },
      { section, metric: `small upload requests/s: ${f.deployment}`, unit: 'req/s', value: mean(f.smallUpload), baseline: { ...vs, value: mean(base.smallUpload) }, ratio: { value: ratio(mean(f.smallUpload), mean(base.smallUpload)), unit: '×' } },
      { section, metric: `small upload p99 (worst round): ${f.deployment}`, unit: 'ms', value: p99(f.smallUpload), baseline: { ...vs, value: p99(base.smallUpload) }, ratio: { value: ratio(p99(f.smallUpload), p99(base.smallUpload)), unit: '×' } },
    );
    if (bigMiB > 0 && f.upload && f.download && base.upload && base.download) {
      rows.push(
        { section, metric: `${bigMiB} MiB upload: ${f.deployment}`, unit: 'MiB/s', value: f.upload.mibPerSecond, baseline: { ...vs, value: base.upload.mibPerSecond }, ratio: { value: ratio(f.upload.mibPerSecond, base.upload.mibPerSecond), unit: '×' } },
        { section, metric: `${bigMiB} MiB download: ${f.deployment}`, unit: 'MiB/s', value: f.download.mibPerSecond, baseline: { ...vs, value: base.download.mibPerSecond }, ratio: { value: ratio(f.download.mibPerSecond, base.download.mibPerSecond), unit: '×' } },
      );
    }
  }
  if (bigMiB > 0) {
    for (const f of figures) {
      for (const [direction, t] of [
        ['upload', f.upload],
        ['download', f.download],
      ] as const) {
        if (!t) continue;
        const worst = Math.max(...t.rssGrowthMiB);
        rows.push({
          section,
          metric: `${bigMiB} MiB ${direction}: RSS growth above idle of each instance, ${f.deployment}`,
          unit: 'MiB',
          value: worst,
          goal: '< 64 MiB',
          met: worst < 64,
          note: t.rssGrowthMiB.length > 1 ? `per instance: ${t.rssGrowthMiB.map((g) => g.toFixed(1)).join(', ')} MiB` : undefined,
        });
      }
    }
  }
  return rows;
}
