import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { caseIqCaseId, caseIqToken } from './apis.ts';
import { multipartBody, streamedBody } from './big-file.ts';
import { download, upload, type DownloadResult, type UploadResult } from './http-client.ts';
import { memoryOf, startBaseline, startReference, trackPeak, type Service } from './processes.ts';
import { kibToMib, MiB, ratio, type Check, type Row } from './report.ts';

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

async function timed<T extends UploadResult | DownloadResult>(service: Service, direction: Transfer['direction'], bytes: number, run: () => Promise<T>): Promise<{ result: T; transfer: Transfer }> {
  settleDisk();
  const idle = await idleRss(service);
  const peak = trackPeak(service.pid);
  const result = await run();
  const { peakKiB, method } = peak.stop();
  const transfer: Transfer = {
    server: service.name,
    direction,
    bytes,
    seconds: result.seconds,
    mibPerSecond: bytes / MiB / result.seconds,
    peakRssMiB: kibToMib(peakKiB),
    idleRssMiB: idle,
    peakMethod: method,
  };
  return { result, transfer };
}

/**
 * One file of `sizeMiB` MiB through Case IQ's multipart save_file and download, and the same
 * bytes through the bare baseline (raw body to disk, file to socket), with the same client.
 */
export async function benchBigTransfer(sizeMiB: number, log: (line: string) => void): Promise<{ rows: Row[]; checks: Check[]; transfers: Transfer[] }> {
  const size = sizeMiB * MiB;
  const checks: Check[] = [];
  const transfers: Transfer[] = [];
  log(`starting a fresh reference server (caseiq, --max-file-mb ${sizeMiB + 64}) and the bare baseline`);
  const [ref, bare] = await Promise.all([startReference({ apis: ['caseiq'], validateResponses: true, maxFileMb: sizeMiB + 64 }), startBaseline()]);
  try {
    const auth = { Authorization: `Bearer ${await caseIqToken(ref.url)}` };
    // Warm both paths once with a small file, so the big transfer measures streaming, not start-up.
    const warmForm = multipartBody({ caseId: caseIqCaseId }, { field: 'file', fileName: 'warm.bin', size: 64 * 1024 });
    const warm = await upload(`${ref.url}/api-public/1.0/save_file`, { ...auth, 'Content-Type': warmForm.contentType }, warmForm);
    await download(`${ref.url}/api-public/1.0/attachment/${(warm.answer as { id: string }).id}/attachment`, auth);
    const warmBare = await upload(`${bare.url}/upload`, { 'Content-Type': 'application/octet-stream' }, streamedBody({ size: 64 * 1024 }));
    await download(`${bare.url}/files/${(warmBare.answer as { id: string }).id}`, {});

    // Reference server: multipart upload, then download.
    log(`  ${sizeMiB} MiB multipart upload → ${ref.name}`);
    const form = multipartBody({ caseId: caseIqCaseId }, { field: 'file', fileName: 'big.bin', size });
    const refUp = await timed(ref, 'upload', size, () => upload(`${ref.url}/api-public/1.0/save_file`, { ...auth, 'Content-Type': form.contentType }, form));
    transfers.push(refUp.transfer);
    const record = refUp.result.answer as { id?: string; sizeBytes?: number };
    checks.push({ name: 'reference upload accepted', ok: refUp.result.status === 200 && record.sizeBytes === size, detail: `status ${refUp.result.status}, sizeBytes ${record.sizeBytes}` });
    if (refUp.result.status !== 200 || !record.id) throw new Error(`reference upload answered ${refUp.result.status}: ${JSON.stringify(refUp.result.answer).slice(0, 500)}`);

    log(`  ${sizeMiB} MiB download ← ${ref.name}`);
    const refDown = await timed(ref, 'download', size, () => download(`${ref.url}/api-public/1.0/attachment/${record.id}/attachment`, auth));
    transfers.push(refDown.transfer);
    checks.push(...downloadChecks('reference', refDown.result, size, form.fileSha256(), true));

    // Bare baseline: the same client and bytes, no framing.
    log(`  ${sizeMiB} MiB upload → ${bare.name}`);
    const raw = streamedBody({ size });
    const bareUp = await timed(bare, 'upload', size, () => upload(`${bare.url}/upload`, { 'Content-Type': 'application/octet-stream' }, raw));
    transfers.push(bareUp.transfer);
    const bareId = (bareUp.result.answer as { id?: string }).id;
    checks.push({ name: 'baseline upload accepted', ok: bareUp.result.status === 200 && Boolean(bareId), detail: `status ${bareUp.result.status}` });

    log(`  ${sizeMiB} MiB download ← ${bare.name}`);
    const bareDown = await timed(bare, 'download', size, () => download(`${bare.url}/files/${bareId}`, {}));
    transfers.push(bareDown.transfer);
    checks.push(...downloadChecks('baseline', bareDown.result, size, raw.fileSha256(), false));
    fs.rmSync(`${bare.dir}/${bareId}.bin`, { force: true });

    // For the explanation only: the bare upload when it, too, fsyncs before answering.
    log(`  ${sizeMiB} MiB upload → ${bare.name}, fsynced before answering (informational)`);
    const synced = await timed(bare, 'upload', size, () => upload(`${bare.url}/upload?fsync=1`, { 'Content-Type': 'application/octet-stream' }, streamedBody({ size })));
    synced.transfer.server = `${bare.name} + fsync`;
    transfers.push(synced.transfer);
    const syncedId = (synced.result.answer as { id?: string }).id;
    if (syncedId) fs.rmSync(`${bare.dir}/${syncedId}.bin`, { force: true });

    return { rows: bigRows(sizeMiB, refUp.transfer, refDown.transfer, bareUp.transfer, bareDown.transfer, synced.transfer), checks, transfers };
  } finally {
    await Promise.all([ref.stop(), bare.stop()]);
  }
}

function downloadChecks(who: string, d: DownloadResult, size: number, sha256: string, documentedHeaders: boolean): Check[] {
  const checks: Check[] = [
    { name: `${who} download sha256 equals the upload's`, ok: d.status === 200 && d.sha256 === sha256, detail: `status ${d.status}, ${d.bytes} bytes, sha256 ${d.sha256.slice(0, 16)}… vs ${sha256.slice(0, 16)}…` },
    { name: `${who} download Content-Length`, ok: d.headers['content-length'] === String(size) && d.bytes === size, detail: `Content-Length ${d.headers['content-length']}, received ${d.bytes}` },
  ];
  if (documentedHeaders) {
    const disposition = d.headers['content-disposition'];
    checks.push({
      name: `${who} download documented headers`,
      ok: Boolean(disposition && /filename="?big\.bin/.test(disposition)) && Boolean(d.headers['content-type']) && d.headers['x-content-type-options'] === 'nosniff',
      detail: `Content-Type ${d.headers['content-type']}, Content-Disposition ${disposition}, X-Content-Type-Options ${d.headers['x-content-type-options']}`,
    });
  }
  return checks;
}

function bigRows(sizeMiB: number, refUp: Transfer, refDown: Transfer, bareUp: Transfer, bareDown: Transfer, synced: Transfer): Row[] {
  const section = `${sizeMiB} MiB file: reference server (Case IQ) vs bare node:http baseline`;
  const up = ratio(refUp.mibPerSecond, bareUp.mibPerSecond);
  const down = ratio(refDown.mibPerSecond, bareDown.mibPerSecond);
  const growth = refUp.peakRssMiB - refUp.idleRssMiB;
  return [
    { section, metric: 'multipart upload throughput', unit: 'MiB/s', value: refUp.mibPerSecond, baseline: { label: 'bare', value: bareUp.mibPerSecond }, ratio: { value: up, unit: '×' }, goal: '≥ 0.60×', met: up !== null ? up >= 0.6 : null },
    { section, metric: 'download throughput', unit: 'MiB/s', value: refDown.mibPerSecond, baseline: { label: 'bare', value: bareDown.mibPerSecond }, ratio: { value: down, unit: '×' }, goal: '≥ 0.80×', met: down !== null ? down >= 0.8 : null },
    { section, metric: 'upload: server RSS growth above idle', unit: 'MiB', value: growth, baseline: { label: 'idle RSS', value: refUp.idleRssMiB }, goal: '< 64 MiB', met: growth < 64 },
    { section, metric: 'upload: server peak RSS', unit: 'MiB', value: refUp.peakRssMiB, baseline: { label: 'bare', value: bareUp.peakRssMiB }, ratio: { value: ratio(refUp.peakRssMiB, bareUp.peakRssMiB), unit: '×' } },
    { section, metric: 'download: server peak RSS', unit: 'MiB', value: refDown.peakRssMiB, baseline: { label: 'bare', value: bareDown.peakRssMiB }, ratio: { value: ratio(refDown.peakRssMiB, bareDown.peakRssMiB), unit: '×' } },
    {
      section,
      metric: 'upload throughput vs bare + fsync (info)',
      unit: 'MiB/s',
      value: refUp.mibPerSecond,
      baseline: { label: 'bare+fsync', value: synced.mibPerSecond },
      ratio: { value: ratio(refUp.mibPerSecond, synced.mibPerSecond), unit: '×' },
      note: 'the reference store fsyncs every file before answering (durable uploads); the bare baseline does not. This row shows how much of the gap that accounts for.',
    },
  ];
}
