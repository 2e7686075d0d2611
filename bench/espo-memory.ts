import { caseIqCaseId, caseIqToken, espoApiKey } from './apis.ts';
import { primePageCache, timed, type Transfer } from './big-transfer.ts';
import { startBaseline, startReference } from './processes.ts';
import { MiB, ratio, type Check, type Row } from './report.ts';
import type { BodySpec } from './transfer-client.ts';
import { transfer } from './transfers.ts';

export interface EspoUpload {
  fileBytes: number;
  /** Every timed upload: EspoCRM base64 JSON, Case IQ multipart (same server) and the bare baseline. */
  transfers: Transfer[];
}

const dataUrl = (name: string, size: number): BodySpec => ({
  type: 'data-url-json',
  size,
  attributes: { name, type: 'application/octet-stream', role: 'Attachment', parentType: 'Note', field: 'attachments' },
  mimeType: 'application/octet-stream',
});

/**
 * EspoCRM's base64-in-JSON POST Attachment of a `sizeMiB` MiB file, beside the same file sent as
 * multipart to the same server (Case IQ's save_file) and as a raw body to the bare node:http
 * baseline, `rounds` times: throughput is the best round of each, memory the worst.
 */
export async function benchEspoJsonUpload(sizeMiB: number, rounds: number, log: (line: string) => void): Promise<{ rows: Row[]; checks: Check[]; upload: EspoUpload }> {
  const size = sizeMiB * MiB;
  const checks: Check[] = [];
  const transfers: Transfer[] = [];
  const bare = await startBaseline();
  try {
    primePageCache(bare.dir, size * 2);
    for (let round = 1; round <= rounds; round++) {
      const tag = rounds > 1 ? ` (round ${round}/${rounds})` : '';
      log(`starting a fresh reference server (espocrm+caseiq, --max-file-mb ${Math.max(256, sizeMiB + 16)})${tag}`);
      const ref = await startReference({ apis: ['espocrm', 'caseiq'], validateResponses: true, maxFileMb: Math.max(256, sizeMiB + 16) });
      try {
        const espo = `${ref.url}/api/v1/Attachment`;
        const caseIq = { url: `${ref.url}/api-public/1.0/save_file`, headers: { Authorization: `Bearer ${await caseIqToken(ref.url)}` } };
        const multipart = (fileName: string, bytes: number): BodySpec => ({ type: 'multipart', size: bytes, fields: { caseId: caseIqCaseId }, field: 'file', fileName });
        // Warm both paths once, so the big transfers measure streaming, not start-up.
        const warm = await transfer({ kind: 'upload', url: espo, headers: espoApiKey, body: dataUrl('warm.bin', 64 * 1024) });
        if (warm.status !== 200) throw new Error(`EspoCRM warm-up upload answered ${warm.status}: ${JSON.stringify(warm.answer).slice(0, 500)}`);
        await transfer({ kind: 'upload', url: caseIq.url, headers: caseIq.headers, body: multipart('warm.bin', 64 * 1024) });

        log(`  ${sizeMiB} MiB base64 JSON upload → ${ref.name} (EspoCRM)${tag}`);
        const base64 = await timed(ref, size, { kind: 'upload', url: espo, headers: espoApiKey, body: dataUrl('big.bin', size) });
        transfers.push({ ...base64.transfer, server: 'EspoCRM base64 JSON' });
        const record = base64.result.answer as { id?: string; size?: number };
        checks.push({ name: `EspoCRM JSON upload accepted${tag}`, ok: base64.result.status === 200 && record.size === size, detail: `status ${base64.result.status}, size ${record.size}` });
        if (record.id) {
          const d = await transfer({ kind: 'download', url: `${ref.url}/api/v1/Attachment/file/${record.id}`, headers: espoApiKey });
          checks.push({ name: `EspoCRM download sha256 equals the upload's${tag}`, ok: d.status === 200 && d.sha256 === base64.result.sha256, detail: `status ${d.status}, ${d.bytes} bytes` });
          await transfer({ kind: 'download', url: `${ref.url}/api/v1/Attachment/${record.id}`, headers: espoApiKey });
        }

        log(`  ${sizeMiB} MiB multipart upload → ${ref.name} (Case IQ)${tag}`);
        const form = await timed(ref, size, { kind: 'upload', url: caseIq.url, headers: caseIq.headers, body: multipart('big.bin', size) });
        transfers.push({ ...form.transfer, server: 'Case IQ multipart' });
        checks.push({ name: `multipart upload accepted${tag}`, ok: form.result.status === 200, detail: `status ${form.result.status}` });
      } finally {
        await ref.stop();
      }
      log(`  ${sizeMiB} MiB raw upload → ${bare.name}${tag}`);
      const raw = await timed(bare, size, { kind: 'upload', url: `${bare.url}/upload`, headers: {}, body: { type: 'raw', size } });
      transfers.push(raw.transfer);
      checks.push({ name: `baseline upload accepted${tag}`, ok: raw.result.status === 200, detail: `status ${raw.result.status}` });
    }
  } finally {
    await bare.stop();
  }
  return { rows: espoRows(sizeMiB, rounds, transfers, bare.name), checks, upload: { fileBytes: size, transfers } };
}

function espoRows(sizeMiB: number, rounds: number, transfers: Transfer[], bareName: string): Row[] {
  const of = (server: string) => transfers.filter((t) => t.server === server);
  const best = (list: Transfer[]) => Math.max(...list.map((t) => t.mibPerSecond));
  const growth = (list: Transfer[]) => Math.max(...list.map((t) => t.peakRssMiB - t.idleRssMiB));
  const [base64, form, bare] = [of('EspoCRM base64 JSON'), of('Case IQ multipart'), of(bareName)];
  const each = (list: Transfer[]) => list.map((t) => t.mibPerSecond.toFixed(0)).join('/');
  const note = rounds > 1 ? `every round, MiB/s: base64 ${each(base64)}, multipart ${each(form)}, bare ${each(bare)}` : undefined;
  const section = `EspoCRM POST /Attachment, ${sizeMiB} MiB file as a base64 data URL in JSON (file bytes per second; the body is 4/3 larger)${rounds > 1 ? `; best of ${rounds} rounds, memory worst` : ''}`;
  return [
    { section, metric: 'base64 JSON upload throughput', unit: 'MiB/s', value: best(base64), baseline: { label: 'multipart', value: best(form) }, ratio: { value: ratio(best(base64), best(form)), unit: '×' }, goal: '≥ 100 MiB/s', met: best(base64) >= 100, note },
    { section, metric: 'base64 JSON upload vs bare baseline', unit: 'MiB/s', value: best(base64), baseline: { label: 'bare', value: best(bare) }, ratio: { value: ratio(best(base64), best(bare)), unit: '×' } },
    { section, metric: 'base64 JSON upload: server RSS growth above idle', unit: 'MiB', value: growth(base64), baseline: { label: 'multipart', value: growth(form) }, goal: '< 64 MiB', met: growth(base64) < 64 },
  ];
}
