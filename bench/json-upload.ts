import { benchApiWith } from './apis.ts';
import { primePageCache, timed, type Transfer } from './big-transfer.ts';
import { startBaseline, startReference } from './processes.ts';
import { MiB, ratio, type Check, type Row } from './report.ts';
import { transfer } from './transfers.ts';

const jsonLabel = 'base64 JSON';
const formLabel = 'multipart';

export interface JsonUpload {
  fileBytes: number;
  /** Every timed upload: base64 JSON, multipart (same server) and the bare baseline. */
  transfers: Transfer[];
}

/**
 * A base64-in-JSON upload (of the first API whose test/<id>/bench.ts offers `jsonUpload`) of a
 * `sizeMiB` MiB file, beside the same file sent as multipart to the same server
 * (the API offering `multipart`) and as a raw body to the bare node:http baseline, `rounds` times:
 * throughput is the best round of each, memory the worst.
 */
export async function benchJsonUpload(sizeMiB: number, rounds: number, log: (line: string) => void): Promise<{ rows: Row[]; checks: Check[]; upload: JsonUpload }> {
  const size = sizeMiB * MiB;
  const checks: Check[] = [];
  const transfers: Transfer[] = [];
  const json = await benchApiWith('jsonUpload');
  const form = await benchApiWith('multipart');
  const bare = await startBaseline();
  try {
    primePageCache(bare.dir, size * 2);
    for (let round = 1; round <= rounds; round++) {
      const tag = rounds > 1 ? ` (round ${round}/${rounds})` : '';
      const ids = [...new Set([json.id, form.id])];
      log(`starting a fresh reference server (${ids.join('+')}, --max-file-mb ${Math.max(256, sizeMiB + 16)})${tag}`);
      const ref = await startReference({ apis: ids, validateResponses: true, maxFileMb: Math.max(256, sizeMiB + 16) });
      try {
        const jsonAuth = await json.path.auth(ref.url);
        const formAuth = await form.path.auth(ref.url);
        // Warm both paths once, so the big transfers measure streaming, not start-up.
        const warm = await transfer({ kind: 'upload', url: json.path.uploadUrl(ref.url), headers: jsonAuth, body: json.path.body('warm.bin', 64 * 1024) });
        if (warm.status >= 300) throw new Error(`${json.title} warm-up upload answered ${warm.status}: ${JSON.stringify(warm.answer).slice(0, 500)}`);
        await transfer({ kind: 'upload', url: form.path.uploadUrl(ref.url), headers: formAuth, body: form.path.body('warm.bin', 64 * 1024) });

        log(`  ${sizeMiB} MiB base64 JSON upload → ${ref.name} (${json.title})${tag}`);
        const base64 = await timed(ref, size, { kind: 'upload', url: json.path.uploadUrl(ref.url), headers: jsonAuth, body: json.path.body('big.bin', size) });
        transfers.push({ ...base64.transfer, server: jsonLabel });
        const record = json.path.recordOf(base64.result.answer);
        checks.push({ name: `JSON upload accepted${tag}`, ok: base64.result.status < 300 && record.size === size, detail: `status ${base64.result.status}, size ${record.size}` });
        if (record.id) {
          const d = await transfer({ kind: 'download', url: json.path.downloadUrl(ref.url, record.id), headers: jsonAuth });
          checks.push({ name: `JSON-uploaded download sha256 equals the upload's${tag}`, ok: d.status === 200 && d.sha256 === base64.result.sha256, detail: `status ${d.status}, ${d.bytes} bytes` });
          if (json.path.metadataUrl) await transfer({ kind: 'download', url: json.path.metadataUrl(ref.url, record.id), headers: jsonAuth });
        }

        log(`  ${sizeMiB} MiB multipart upload → ${ref.name} (${form.title})${tag}`);
        const multipart = await timed(ref, size, { kind: 'upload', url: form.path.uploadUrl(ref.url), headers: formAuth, body: form.path.body('big.bin', size) });
        transfers.push({ ...multipart.transfer, server: formLabel });
        checks.push({ name: `multipart upload accepted${tag}`, ok: multipart.result.status < 300, detail: `status ${multipart.result.status}` });
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
  return { rows: jsonUploadRows(json.title, sizeMiB, rounds, transfers, bare.name), checks, upload: { fileBytes: size, transfers } };
}

function jsonUploadRows(title: string, sizeMiB: number, rounds: number, transfers: Transfer[], bareName: string): Row[] {
  const of = (server: string) => transfers.filter((t) => t.server === server);
  const best = (list: Transfer[]) => Math.max(...list.map((t) => t.mibPerSecond));
  const growth = (list: Transfer[]) => Math.max(...list.map((t) => t.peakRssMiB - t.idleRssMiB));
  const [base64, form, bare] = [of(jsonLabel), of(formLabel), of(bareName)];
  const each = (list: Transfer[]) => list.map((t) => t.mibPerSecond.toFixed(0)).join('/');
  const note = rounds > 1 ? `every round, MiB/s: base64 ${each(base64)}, multipart ${each(form)}, bare ${each(bare)}` : undefined;
  const section = `${title}: POST of a ${sizeMiB} MiB file as a base64 data URL in JSON (file bytes per second; the body is 4/3 larger)${rounds > 1 ? `; best of ${rounds} rounds, memory worst` : ''}`;
  return [
    { section, metric: 'base64 JSON upload throughput', unit: 'MiB/s', value: best(base64), baseline: { label: 'multipart', value: best(form) }, ratio: { value: ratio(best(base64), best(form)), unit: '×' }, goal: '≥ 100 MiB/s', met: best(base64) >= 100, note },
    { section, metric: 'base64 JSON upload vs bare baseline', unit: 'MiB/s', value: best(base64), baseline: { label: 'bare', value: best(bare) }, ratio: { value: ratio(best(base64), best(bare)), unit: '×' } },
    { section, metric: 'base64 JSON upload: server RSS growth above idle', unit: 'MiB', value: growth(base64), baseline: { label: 'multipart', value: growth(form) }, goal: '< 64 MiB', met: growth(base64) < 64 },
  ];
}
