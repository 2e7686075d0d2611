import { createHash, randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, onTestFinished, test } from 'vitest';
import { judge } from '../support/judge.ts';
import { auditStore, descriptorCount, descriptorTargets, tempFiles } from '../support/fault-probes.ts';
import { sendRaw, type Cut, type RawAnswer, type RawRequest } from '../support/raw-http.ts';
import { tempDirForTest } from '../support/scoped.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { uploadApis, type PreparedUpload, type Send, type UploadApi, type UploadPath, type UploadSession } from '../support/upload-paths.ts';

/**
 * The fault harness: every upload path of every API (test/<id>/upload-paths.ts) is cut at several
 * offsets with RST and with FIN, reset right after its last byte, sent over the size limit, run
 * out of disk and, for chunked uploads, killed mid-upload. After each fault the server must have
 * answered (within 5 s, in the API's dialect) where the client still listened, be back to its
 * baseline of open descriptors, hold no temp file, serve every listed record byte-identical, and
 * still serve others. Nothing here names an API: the registry and the fixtures say what exists.
 */
const answerWithinMs = 5000;
const settleMs = 5000;
const fileBytes = 256 * 1024;
const limitMiB = 1;
const burstSize = 20;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

const totals = { faults: 0, aborts: 0, kills: 0, answered: 0, resendsRefused: 0, recordsChecked: 0, descriptors: [] as string[] };
afterAll(() => {
  console.log(
    `fault harness: ${totals.faults} faults (${totals.aborts} aborts by RST/FIN/reset, ${totals.kills} SIGKILLs mid-chunked-upload), ` +
      `${totals.answered} answers checked within ${answerWithinMs} ms, ${totals.resendsRefused} resent chunks refused in the dialect, ` +
      `${totals.recordsChecked} listed records downloaded byte-identical; descriptors before/after: ${totals.descriptors.join(', ')}`,
  );
});

/** A server under test plus what the harness knows: every file it sent, the records it was given. */
class Rig {
  readonly sent = new Set<string>();
  readonly acknowledged: string[] = [];
  baseline = 0;
  session!: UploadSession;

  constructor(
    readonly api: UploadApi,
    public server: ServerProcess,
    readonly dataDir: string,
    readonly args: string[],
  ) {}

  restarts = 0;

  /** SIGKILL, then `attachkit serve` again on the same store (a new port). */
  async crashAndRestart(): Promise<void> {
    this.restarts++;
    await this.server.kill('SIGKILL');
    this.server = await startServerProcess(this.args);
    this.baseline = await stableDescriptors(this.server);
  }

  readonly send: Send = async (request) => {
    const result = await sendRaw(this.server.url, request, { kind: 'none' }, 30_000);
    if (!result.answer) throw new Error(`${request.method} ${request.path}: no answer (${result.ending})`);
    return result.answer;
  };

  async connect(): Promise<void> {
    this.session = await this.api.connect(this.send);
    this.baseline = await stableDescriptors(this.server);
  }

  file(label: string, size = fileBytes): { name: string; bytes: Buffer } {
    const bytes = randomBytes(size);
    this.sent.add(sha256(bytes));
    return { name: `${label.replace(/[^a-z0-9]+/gi, '-')}-${randomBytes(3).toString('hex')}.bin`, bytes };
  }

  /** Is the answer a refusal in the API's own dialect, as its contract documents it? */
  async inDialect(request: RawRequest, answer: RawAnswer, expect: { refused?: boolean } = { refused: true }): Promise<string[]> {
    const url = `${this.server.url}${request.path}`;
    const response = new Response(answer.body.length ? new Uint8Array(answer.body) : null, { status: answer.status, headers: answer.headers });
    return judge(this.api.id, request.method, url, response, expect);
  }

  /** The checks every fault is followed by; `upload: false` where the fault leaves no room for one. */
  async afterFault(label: string, path: UploadPath, options: { upload?: boolean } = {}): Promise<void> {
    // Descriptors and temp files are released as the cut connection closes: allow a moment.
    const deadline = Date.now() + settleMs;
    let descriptors = descriptorCount(this.server.child.pid!);
    let temp = tempFiles(this.dataDir);
    while ((descriptors > this.baseline || temp.length) && Date.now() < deadline) {
      await sleep(50);
      descriptors = descriptorCount(this.server.child.pid!);
      temp = tempFiles(this.dataDir);
    }
    expect(descriptors, `${label}: open descriptors (baseline ${this.baseline}): ${descriptorTargets(this.server.child.pid!).join(' ')}`).toBeLessThanOrEqual(this.baseline);
    expect(temp, `${label}: temp files left`).toEqual([]);
    await this.checkListed(label);
    if (options.upload === false) return;
    // The server still serves others: a fresh upload on the same path goes through whole.
    const { name, bytes } = this.file(`${label} after`);
    const id = await this.upload(path, name, bytes);
    expect(id, `${label}: an upload after the fault`).toBeDefined();
    await this.expectDownload(label, id!, bytes);
  }

  async upload(path: UploadPath, name: string, bytes: Buffer): Promise<string | undefined> {
    const prepared = await path.prepare(name, bytes);
    let answer: RawAnswer | undefined;
    for (const request of prepared.requests) answer = await this.send(request);
    const id = prepared.idOf(answer!);
    if (id) this.acknowledged.push(id);
    return id;
  }

  async expectDownload(label: string, id: string, bytes: Buffer): Promise<void> {
    const answer = await this.send(this.session.downloadRequest(id));
    expect(`${label}: download ${id} → ${answer.status}`).toBe(`${label}: download ${id} → 200`);
    expect(sha256(answer.body), `${label}: bytes of ${id}`).toBe(sha256(bytes));
  }

  /** Every record the API lists downloads whole: its bytes are exactly one of the files sent. */
  async checkListed(label: string): Promise<void> {
    for (const id of await this.session.listed(this.acknowledged)) {
      const answer = await this.send(this.session.downloadRequest(id));
      expect(`${label}: listed ${id} → ${answer.status}`).toBe(`${label}: listed ${id} → 200`);
      expect(this.sent.has(sha256(answer.body)), `${label}: listed ${id} holds ${answer.body.length} bytes that were never sent whole`).toBe(true);
      totals.recordsChecked++;
    }
    const audit = auditStore(this.dataDir);
    expect({ missing: audit.missing, damaged: audit.damaged }, `${label}: store audit`).toEqual({ missing: [], damaged: [] });
  }
}

/** The descriptor count once it holds still for half a second (connections of the sign-in closing). */
async function stableDescriptors(server: ServerProcess): Promise<number> {
  let last = descriptorCount(server.child.pid!);
  for (let still = 0; still < 10; ) {
    await sleep(50);
    const now = descriptorCount(server.child.pid!);
    still = now === last ? still + 1 : 0;
    last = now;
  }
  return last;
}

async function rigFor(api: UploadApi, dataDir: string, extra: string[] = []): Promise<Rig> {
  const args = ['--data-dir', dataDir, '--api', api.id, '--max-file-mb', String(limitMiB), ...extra];
  const rig = new Rig(api, await startServerProcess(args), dataDir, args);
  onTestFinished(() => rig.server.kill('SIGKILL'));
  await rig.connect();
  return rig;
}

/** Sends the upload's requests before the faulted one whole; returns the faulted request's index. */
async function leadUp(rig: Rig, path: UploadPath, prepared: PreparedUpload): Promise<number> {
  // A chunked upload is faulted on a middle chunk, where a resent chunk can do harm.
  const target = path.chunked ? Math.min(1, prepared.requests.length - 1) : prepared.requests.length - 1;
  for (const request of prepared.requests.slice(0, target)) expect((await rig.send(request)).status).toBeLessThan(300);
  return target;
}

/**
 * What a client does after a cut or a lost answer on a chunked upload: send the chunk again and
 * go on. Each answer is a success or a refusal in the dialect; the record ends whole.
 */
async function resumeChunked(rig: Rig, label: string, prepared: PreparedUpload, from: number, bytes: Buffer): Promise<void> {
  let last: RawAnswer | undefined;
  for (const request of prepared.requests.slice(from)) {
    last = await rig.send(request);
    if (last.status >= 300) {
      expect(await rig.inDialect(request, last), `${label}: resent chunk answered ${last.status}`).toEqual([]);
      totals.resendsRefused++;
    }
  }
  const id = prepared.id ?? prepared.idOf(last!);
  expect(id, `${label}: the resumed upload's record`).toBeDefined();
  rig.acknowledged.push(id!);
  await rig.expectDownload(`${label} (resumed)`, id!, bytes);
}

/**
 * SIGKILL while a chunk is arriving, and again right after a chunk's last byte (before its answer):
 * after each restart the client does what it must without an answer, sends that chunk again and
 * goes on, and the upload ends byte-identical.
 */
async function crashMidUpload(rig: Rig, path: UploadPath): Promise<void> {
  for (const [label, cut] of [
    ['SIGKILL mid-chunk', (n: number): Cut => ({ kind: 'stall', offset: Math.floor(n / 2) })],
    ['SIGKILL after a chunk\'s last byte', (): Cut => ({ kind: 'stall', offset: Number.MAX_SAFE_INTEGER })],
  ] as const) {
    const full = `${rig.api.id} ${path.name}: ${label}`;
    const { name, bytes } = rig.file(full);
    const prepared = await path.prepare(name, bytes);
    const target = await leadUp(rig, path, prepared);
    const request = prepared.requests[target];
    const sending = sendRaw(rig.server.url, request, cut(request.body.length), answerWithinMs + 1000);
    await sleep(150);
    await rig.crashAndRestart();
    await sending;
    totals.faults++;
    totals.kills++;
    await resumeChunked(rig, full, prepared, target, bytes);
    await rig.afterFault(full, path);
  }
}

const cuts: Array<{ label: string; cut: (length: number) => Cut }> = [];
for (const kind of ['reset', 'fin'] as const) {
  cuts.push({ label: `${kind} before the body`, cut: () => ({ kind, offset: 0 }) });
  cuts.push({ label: `${kind} after 1 byte`, cut: () => ({ kind, offset: 1 }) });
  cuts.push({ label: `${kind} mid-body`, cut: (n) => ({ kind, offset: Math.floor(n / 2) }) });
  cuts.push({ label: `${kind} 1 byte short`, cut: (n) => ({ kind, offset: n - 1 }) });
}
cuts.push({ label: 'reset right after the last byte', cut: () => ({ kind: 'reset-after-body' }) });

describe.each(uploadApis)('$id', (api) => {
  test('every upload path: cut by RST and FIN at several offsets, reset after the last byte, over the limit', { timeout: 300_000 }, async () => {
    const dataDir = tempDirForTest('attachkit-faults-');
    const rig = await rigFor(api, dataDir);
    const before = rig.baseline;
    for (const path of rig.session.paths) {
      for (const { label: cutLabel, cut } of cuts) {
        const label = `${api.id} ${path.name}: ${cutLabel}`;
        const { name, bytes } = rig.file(label);
        const prepared = await path.prepare(name, bytes);
        const target = await leadUp(rig, path, prepared);
        const request = prepared.requests[target];
        const how = cut(request.body.length);
        const result = await sendRaw(rig.server.url, request, how, answerWithinMs + 1000);
        totals.faults++;
        totals.aborts++;
        if (how.kind === 'fin') {
          // A half-closed client still listens: it gets the dialect's refusal within 5 s.
          expect(result.answer, `${label}: no answer in ${result.elapsedMs} ms (${result.ending})`).toBeDefined();
          expect(result.elapsedMs).toBeLessThan(answerWithinMs);
          expect(await rig.inDialect(request, result.answer!), `${label}: answer ${result.answer!.status} ${result.answer!.body.toString().slice(0, 200)}`).toEqual([]);
          totals.answered++;
        }
        if (path.chunked) await resumeChunked(rig, label, prepared, target, bytes);
        await rig.afterFault(label, path);
      }
      if (path.chunked) {
        await crashMidUpload(rig, path);
        continue;
      }
      // A burst of clients that reset right after their last byte, together: whatever each
      // upload's fate, no record may be left without its bytes.
      const burst = `${api.id} ${path.name}: ${burstSize} resets right after the last byte at once`;
      await Promise.all(
        Array.from({ length: burstSize }, async (_, i) => {
          const { name, bytes } = rig.file(`${burst} ${i}`, 64 * 1024);
          const [request] = (await path.prepare(name, bytes)).requests;
          await sendRaw(rig.server.url, request, { kind: 'reset-after-body' }, answerWithinMs);
          totals.faults++;
          totals.aborts++;
        }),
      );
      await rig.afterFault(burst, path);
      // Over the limit: the refusal comes while the client is still sending, not after a timeout,
      // and a client that reads only once it has sent its whole body still gets it (no reset).
      const label = `${api.id} ${path.name}: ${limitMiB * 2.5} MiB over a ${limitMiB} MiB limit`;
      const { name, bytes } = rig.file(label, limitMiB * 2.5 * 1024 * 1024);
      const [request] = (await path.prepare(name, bytes)).requests;
      const early = await sendRaw(rig.server.url, request, { kind: 'none' }, answerWithinMs + 1000);
      expect(early.answer, `${label}: no answer in ${early.elapsedMs} ms (${early.ending})`).toBeDefined();
      expect(early.elapsedMs).toBeLessThan(answerWithinMs);
      // Well past what the kernel's socket buffers hold, so a reset under the answer would cut the send.
      const whole = rig.file(`${label}, sent whole`, 32 * 1024 * 1024);
      const [wholeRequest] = (await path.prepare(whole.name, whole.bytes)).requests;
      const result = await sendRaw(rig.server.url, wholeRequest, { kind: 'whole' }, answerWithinMs + 1000);
      totals.faults += 2;
      expect(result.ending, `${label}: ${whole.bytes.length / 1024 / 1024} MiB sent whole before reading, the send ended by ${result.ending}`).toBeUndefined();
      expect(result.answer, `${label}: no answer in ${result.elapsedMs} ms (${result.ending})`).toBeDefined();
      expect(result.elapsedMs).toBeLessThan(answerWithinMs);
      expect(path.isLimitAnswer(result.answer!), `${label}: answered ${result.answer!.status} ${result.answer!.headers['x-status-reason'] ?? result.answer!.body.toString().slice(0, 200)}`).toBe(true);
      expect(await rig.inDialect(wholeRequest, result.answer!)).toEqual([]);
      totals.answered++;
      await rig.afterFault(label, path);
    }
    const restarted = rig.restarts ? ` (${rig.restarts} restarts: ${rig.baseline} at the last start)` : '';
    totals.descriptors.push(`${api.id} ${before}/${await stableDescriptors(rig.server)}${restarted}`);
  });
});

/** Mounting a tmpfs needs root; CI runs as root (and so does the development machine). */
const root = process.getuid?.() === 0;

describe.runIf(root).each(uploadApis)('$id on a full disk', (api) => {
  test('an upload that fills the disk is answered in the dialect, leaves nothing behind, and deletes still work', { timeout: 120_000 }, async () => {
    const dataDir = tempDirForTest('attachkit-full-');
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=6m', 'tmpfs', dataDir]);
    onTestFinished(() => {
      execFileSync('umount', ['-l', dataDir]);
    });
    const rig = await rigFor(api, dataDir, ['--max-file-mb', '4']);
    const path = rig.session.paths.find((p) => !p.chunked)!;
    const label = `${api.id} ${path.name}: disk full`;
    let full: { request: RawRequest; answer: RawAnswer; elapsedMs: number } | undefined;
    for (let i = 0; i < 12 && !full; i++) {
      const { name, bytes } = rig.file(`${label} ${i}`, 1024 * 1024);
      const prepared = await path.prepare(name, bytes);
      const [request] = prepared.requests;
      const result = await sendRaw(rig.server.url, request, { kind: 'none' }, answerWithinMs + 1000);
      totals.faults++;
      expect(result.answer, `${label}: upload ${i} got no answer in ${result.elapsedMs} ms (${result.ending})`).toBeDefined();
      if (result.answer!.status < 300) rig.acknowledged.push(prepared.idOf(result.answer!)!);
      else full = { request, answer: result.answer!, elapsedMs: result.elapsedMs };
    }
    expect(full, `${label}: 12 MiB never filled a 6 MiB disk`).toBeDefined();
    expect(full!.elapsedMs).toBeLessThan(answerWithinMs);
    expect(await rig.inDialect(full!.request, full!.answer, {}), `${label}: answer ${full!.answer.status} ${full!.answer.headers['x-status-reason'] ?? full!.answer.body.toString().slice(0, 200)}`).toEqual([]);
    expect(`${full!.answer.headers['x-status-reason'] ?? ''} ${full!.answer.body.toString()}`).toMatch(/storage/i);
    totals.answered++;
    await rig.afterFault(label, path, { upload: false });
    if (rig.session.removeRequest) {
      // Clients free space through the API: a delete works on the full disk, then uploads do again.
      const removed = await rig.send(rig.session.removeRequest(rig.acknowledged.shift()!));
      expect(removed.status, `${label}: delete answered ${removed.status} ${removed.headers['x-status-reason'] ?? removed.body.toString().slice(0, 200)}`).toBeLessThan(300);
      await rig.afterFault(`${label}, after a delete`, path);
    }
    totals.descriptors.push(`${api.id} (full disk) ${rig.baseline}/${await stableDescriptors(rig.server)}`);
  });
});
