import { execFileSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { espoApiKey } from './apis.ts';
import { memoryOf, startReference, trackPeak } from './processes.ts';
import { kibToMib, MiB, ratio, type Check, type Row } from './report.ts';
import type { BodySpec } from './transfer-client.ts';
import { transfer } from './transfers.ts';

export interface EspoUpload {
  fileBytes: number;
  bodyBytes: number;
  seconds: number;
  idleRssMiB: number;
  peakRssMiB: number;
  peakMethod: string;
}

const body = (name: string, size: number): BodySpec => ({
  type: 'data-url-json',
  size,
  attributes: { name, type: 'application/octet-stream', role: 'Attachment', parentType: 'Note', field: 'attachments' },
  mimeType: 'application/octet-stream',
});

/** EspoCRM's base64-in-JSON POST Attachment of a `sizeMiB` MiB file: peak RSS growth vs body size. */
export async function benchEspoJsonUpload(sizeMiB: number, log: (line: string) => void): Promise<{ rows: Row[]; checks: Check[]; upload: EspoUpload }> {
  const size = sizeMiB * MiB;
  log(`starting a fresh reference server (espocrm, --max-file-mb ${Math.max(256, sizeMiB + 16)})`);
  const ref = await startReference({ apis: ['espocrm'], validateResponses: true, maxFileMb: Math.max(256, sizeMiB + 16) });
  try {
    const url = `${ref.url}/api/v1/Attachment`;
    const warm = await transfer({ kind: 'upload', url, headers: espoApiKey, body: body('warm.bin', 64 * 1024) });
    if (warm.status !== 200) throw new Error(`EspoCRM warm-up upload answered ${warm.status}: ${JSON.stringify(warm.answer).slice(0, 500)}`);
    execFileSync('sync');
    await sleep(1000);
    const idle = kibToMib(memoryOf(ref.pid).rssKiB);

    log(`  ${sizeMiB} MiB base64 JSON upload → ${ref.name}`);
    const peak = trackPeak(ref.pid);
    const result = await transfer({ kind: 'upload', url, headers: espoApiKey, body: body('big.bin', size) });
    const { peakKiB, method } = peak.stop();
    const record = result.answer as { id?: string; size?: number };
    const checks: Check[] = [{ name: 'EspoCRM JSON upload accepted', ok: result.status === 200 && record.size === size, detail: `status ${result.status}, size ${record.size}` }];
    if (record.id) {
      const d = await transfer({ kind: 'download', url: `${ref.url}/api/v1/Attachment/file/${record.id}`, headers: espoApiKey });
      checks.push({ name: 'EspoCRM download sha256 equals the upload\'s', ok: d.status === 200 && d.sha256 === result.sha256, detail: `status ${d.status}, ${d.bytes} bytes` });
    }

    const measured: EspoUpload = { fileBytes: size, bodyBytes: result.bytes, seconds: result.seconds, idleRssMiB: idle, peakRssMiB: kibToMib(peakKiB), peakMethod: method };
    const growth = measured.peakRssMiB - idle;
    const bodyMiB = result.bytes / MiB;
    const share = ratio(growth, bodyMiB);
    const section = `EspoCRM POST /Attachment, ${sizeMiB} MiB file as a base64 data URL in JSON`;
    const rows: Row[] = [
      { section, metric: 'server peak RSS growth vs request body', unit: 'MiB', value: growth, baseline: { label: 'body', value: bodyMiB }, ratio: { value: share, unit: '×' }, goal: '< 2× body', met: share !== null ? share < 2 : null },
      { section, metric: 'upload throughput (info)', unit: 'MiB/s', value: size / MiB / result.seconds, note: `file bytes per second; the body is ${bodyMiB.toFixed(1)} MiB of JSON` },
    ];
    return { rows, checks, upload: measured };
  } finally {
    await ref.stop();
  }
}
