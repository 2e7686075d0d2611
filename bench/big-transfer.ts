import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { benchApiWith } from './apis.ts';
import { memoryOf, startBaseline, startReference, trackPeak, type Service } from './processes.ts';
import { kibToMib, MiB, ratio, type Check, type Row } from './report.ts';
import type { TransferJob, TransferOutcome } from './transfer-client.ts';
import { transfer } from './transfers.ts';

export interface Transfer {
  server: string;
  direction: 'upload' | 'download';
  bytes: number;
  seconds: number;
  mibPerSecond: number;
  peakRssMiB: number;
  idleRssMiB: number;
  peakMethod: string;
}

/** Lets the kernel write back what the previous phase left dirty, so it does not slow the next one. */
function settleDisk(): void {
  execFileSync('sync');
}

async function idleRss(service: Service): Promise<number> {
  await sleep(1000);
  return kibToMib(memoryOf(service.pid).rssKiB);
}

/** One transfer in a fresh client process, with the server's RSS watched while it runs. */
export async function timed(service: Service, bytes: number, job: TransferJob): Promise<{ result: TransferOutcome; transfer: Transfer }> {
  settleDisk();
  const idle = await idleRss(service);
  const peak = trackPeak(service.pid);
  const result = await transfer(job);
  const { peakKiB, method } = peak.stop();
  const measured: Transfer = {
    server: service.name,
    direction: job.kind,
    bytes,
    seconds: result.seconds,
    mibPerSecond: bytes / MiB / result.seconds,
    peakRssMiB: kibToMib(peakKiB),
    idleRssMiB: idle,
    peakMethod: method,
  };
  return { result, transfer: measured };
}

/**
 * Writes and deletes a file of `bytes` bytes. On this kind of VM, the first write to memory the
 * guest has not touched lately is several times slower than writing to page cache it has just
 * freed (measured: ~400 MB/s against ~5 GB/s), so an upload's speed depends on what ran before
 * it. Priming once, and removing every big file as soon as its phase is over, gives every upload
 * the same kind of memory.
 */
export function primePageCache(dir: string, bytes: number): void {
  const file = path.join(dir, 'prime.bin');
  const block = Buffer.alloc(MiB);
  const fd = fs.openSync(file, 'w');
  try {
    for (let written = 0; written < bytes; written += block.length) fs.writeSync(fd, block);
  } finally {
    fs.closeSync(fd);
    fs.rmSync(file, { force: true });
  }
}

/**
 * One file of `sizeMiB` MiB through an API's multipart upload and its download (the first API whose
 * test/<id>/bench.ts offers one), and the same
 * bytes through the bare baseline (raw body to disk, file to socket), with the same client;
 * `rounds` times. Each round gets a fresh reference server, stopped (its store removed) before
 * the baseline's turn. Throughput: the best round of each (the one least disturbed by anything
 * else on the machine); memory: the worst round.
 */
export async function benchBigTransfer(sizeMiB: number, rounds: number, log: (line: string) => void): Promise<{ rows: Row[]; checks: Check[]; transfers: Transfer[] }> {
  const size = sizeMiB * MiB;
  const checks: Check[] = [];
  const transfers: Transfer[] = [];
  const api = await benchApiWith('multipart');
  const bare = await startBaseline();
  try {
    const warmBare = await transfer({ kind: 'upload', url: `${bare.url}/upload`, headers: {}, body: { type: 'raw', size: 64 * 1024 } });
    await transfer({ kind: 'download', url: `${bare.url}/files/${(warmBare.answer as { id: string }).id}`, headers: {} });
    primePageCache(bare.dir, size);

    for (let round = 1; round <= rounds; round++) {
      const tag = rounds > 1 ? ` (round ${round}/${rounds})` : '';
      log(`starting a fresh reference server (${api.id}, --max-file-mb ${sizeMiB + 64})${tag}`);
      const ref = await startReference({ apis: [api.id], validateResponses: true, maxFileMb: sizeMiB + 64 });
      try {
        const auth = await api.path.auth(ref.url);
        const uploadUrl = api.path.uploadUrl(ref.url);
        // Warm the path once with a small file, so the big transfer measures streaming, not start-up.
        const warm = await transfer({ kind: 'upload', url: uploadUrl, headers: auth, body: api.path.body('warm.bin', 64 * 1024) });
        await transfer({ kind: 'download', url: api.path.downloadUrl(ref.url, api.path.recordOf(warm.answer).id!), headers: auth });

        log(`  ${sizeMiB} MiB multipart upload → ${ref.name}${tag}`);
        const refUp = await timed(ref, size, { kind: 'upload', url: uploadUrl, headers: auth, body: api.path.body('big.bin', size) });
        transfers.push(refUp.transfer);
        const record = api.path.recordOf(refUp.result.answer);
        checks.push({ name: `reference upload accepted${tag}`, ok: refUp.result.status >= 200 && refUp.result.status < 300 && record.size === size, detail: `status ${refUp.result.status}, size ${record.size}` });
        if (refUp.result.status >= 300 || !record.id) throw new Error(`reference upload answered ${refUp.result.status}: ${JSON.stringify(refUp.result.answer).slice(0, 500)}`);

        log(`  ${sizeMiB} MiB download ← ${ref.name}${tag}`);
        const refDown = await timed(ref, size, { kind: 'download', url: api.path.downloadUrl(ref.url, record.id), headers: auth });
        transfers.push(refDown.transfer);
        checks.push(...downloadChecks(`reference${tag}`, refDown.result, size, refUp.result.sha256, true));
      } finally {
        // Stopping the in-memory server removes its store, and the file with it (not every API has a delete).
        await ref.stop();
      }

      log(`  ${sizeMiB} MiB upload → ${bare.name}${tag}`);
      const bareUp = await timed(bare, size, { kind: 'upload', url: `${bare.url}/upload`, headers: {}, body: { type: 'raw', size } });
      transfers.push(bareUp.transfer);
      const bareId = (bareUp.result.answer as { id?: string }).id;
      checks.push({ name: `baseline upload accepted${tag}`, ok: bareUp.result.status === 200 && Boolean(bareId), detail: `status ${bareUp.result.status}` });

      log(`  ${sizeMiB} MiB download ← ${bare.name}${tag}`);
      const bareDown = await timed(bare, size, { kind: 'download', url: `${bare.url}/files/${bareId}`, headers: {} });
      transfers.push(bareDown.transfer);
      checks.push(...downloadChecks(`baseline${tag}`, bareDown.result, size, bareUp.result.sha256, false));
      fs.rmSync(path.join(bare.dir, `${bareId}.bin`), { force: true });

      // For the explanation only: the bare upload when it, too, fsyncs before answering.
      log(`  ${sizeMiB} MiB upload → ${bare.name}, fsynced before answering (informational)${tag}`);
      const synced = await timed(bare, size, { kind: 'upload', url: `${bare.url}/upload?fsync=1`, headers: {}, body: { type: 'raw', size } });
      synced.transfer.server = `${bare.name} + fsync`;
      transfers.push(synced.transfer);
      const syncedId = (synced.result.answer as { id?: string }).id;
      if (syncedId) fs.rmSync(path.join(bare.dir, `${syncedId}.bin`), { force: true });
    }
    const refName = transfers.find((t) => t.server.startsWith('reference'))!.server;
    return { rows: bigRows(sizeMiB, rounds, transfers, refName, bare.name), checks, transfers };
  } finally {
    await bare.stop();
  }
}

function downloadChecks(who: string, d: TransferOutcome, size: number, sha256: string, documentedHeaders: boolean): Check[] {
  const checks: Check[] = [
    { name: `${who} download sha256 equals the upload's`, ok: d.status === 200 && d.sha256 === sha256, detail: `status ${d.status}, ${d.bytes} bytes, sha256 ${d.sha256.slice(0, 16)}… vs ${sha256.slice(0, 16)}…` },
    { name: `${who} download Content-Length`, ok: d.headers?.['content-length'] === String(size) && d.bytes === size, detail: `Content-Length ${d.headers?.['content-length']}, received ${d.bytes}` },
  ];
  if (documentedHeaders) {
    const headers = d.headers ?? {};
    const disposition = headers['content-disposition'] as string | undefined;
    checks.push({
      name: `${who} download documented headers`,
      ok: Boolean(disposition && /filename="?big\.bin/.test(disposition)) && Boolean(headers['content-type']) && headers['x-content-type-options'] === 'nosniff',
      detail: `Content-Type ${headers['content-type']}, Content-Disposition ${disposition}, X-Content-Type-Options ${headers['x-content-type-options']}`,
    });
  }
  return checks;
}

function bigRows(sizeMiB: number, rounds: number, transfers: Transfer[], refName: string, bareName: string): Row[] {
  const of = (server: string, direction: Transfer['direction']) => transfers.filter((t) => t.server === server && t.direction === direction);
  const best = (list: Transfer[]) => Math.max(...list.map((t) => t.mibPerSecond));
  const worst = (list: Transfer[], f: (t: Transfer) => number) => Math.max(...list.map(f));
  const [refUp, refDown, bareUp, bareDown, synced] = [of(refName, 'upload'), of(refName, 'download'), of(bareName, 'upload'), of(bareName, 'download'), of(`${bareName} + fsync`, 'upload')];
  const section = `${sizeMiB} MiB file: reference server (${refName.replace(/^reference /, '')}) vs bare node:http baseline${rounds > 1 ? `; throughput best of ${rounds} rounds, memory worst` : ''}`;
  const up = ratio(best(refUp), best(bareUp));
  const down = ratio(best(refDown), best(bareDown));
  const growth = worst(refUp, (t) => t.peakRssMiB - t.idleRssMiB);
  const each = (list: Transfer[]) => list.map((t) => t.mibPerSecond.toFixed(0)).join('/');
  const roundsNote = (a: Transfer[], b: Transfer[]) => (rounds > 1 ? `every round, MiB/s: reference ${each(a)}, bare ${each(b)}` : undefined);
  return [
    { section, metric: 'multipart upload throughput', unit: 'MiB/s', value: best(refUp), baseline: { label: 'bare', value: best(bareUp) }, ratio: { value: up, unit: '×' }, goal: '≥ 0.60×', met: up !== null ? up >= 0.6 : null, note: roundsNote(refUp, bareUp) },
    { section, metric: 'download throughput', unit: 'MiB/s', value: best(refDown), baseline: { label: 'bare', value: best(bareDown) }, ratio: { value: down, unit: '×' }, goal: '≥ 0.80×', met: down !== null ? down >= 0.8 : null, note: roundsNote(refDown, bareDown) },
    { section, metric: 'upload: server RSS growth above idle', unit: 'MiB', value: growth, baseline: { label: 'idle RSS', value: refUp[0].idleRssMiB }, goal: '< 64 MiB', met: growth < 64 },
    { section, metric: 'upload: server peak RSS', unit: 'MiB', value: worst(refUp, (t) => t.peakRssMiB), baseline: { label: 'bare', value: worst(bareUp, (t) => t.peakRssMiB) }, ratio: { value: ratio(worst(refUp, (t) => t.peakRssMiB), worst(bareUp, (t) => t.peakRssMiB)), unit: '×' } },
    { section, metric: 'download: server peak RSS', unit: 'MiB', value: worst(refDown, (t) => t.peakRssMiB), baseline: { label: 'bare', value: worst(bareDown, (t) => t.peakRssMiB) }, ratio: { value: ratio(worst(refDown, (t) => t.peakRssMiB), worst(bareDown, (t) => t.peakRssMiB)), unit: '×' } },
    {
      section,
      metric: 'upload throughput vs bare + fsync (info)',
      unit: 'MiB/s',
      value: best(refUp),
      baseline: { label: 'bare+fsync', value: best(synced) },
      ratio: { value: ratio(best(refUp), best(synced)), unit: '×' },
      note: 'the reference store fsyncs every file before answering (durable uploads); the bare baseline does not. This row shows how much of the gap that accounts for.',
    },
  ];
}
