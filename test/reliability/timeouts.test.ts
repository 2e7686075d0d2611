import net from 'node:net';
import { expect, test } from 'vitest';
import { judge } from '../support/judge.ts';
import { parseAnswer, sendRaw } from '../support/raw-http.ts';
import { tempFiles } from '../support/fault-probes.ts';
import { serverForTest, tempDirForTest } from '../support/scoped.ts';
import { uploadApis, type Send } from '../support/upload-paths.ts';

// Slow clients cannot hold a connection (and, mid-upload, a temp file) forever: the headers, the
// whole request and an idle connection each have a time limit (attachkit serve --headers-timeout,
// --request-timeout, --idle-timeout). Short limits here; the defaults are in server-config.ts.
const limits = { headersTimeoutMs: 1000, requestTimeoutMs: 3000, idleTimeoutMs: 2000 };

interface Outcome {
  answer?: ReturnType<typeof parseAnswer>;
  closedAfterMs: number;
}

/** Sends `head`, then `trickle` one byte at a time every `everyMs`, and reports how the server ended it. */
function slowClient(url: string, head: string, trickle: Buffer, everyMs: number): Promise<Outcome> {
  const { port } = new URL(url);
  const started = Date.now();
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), '127.0.0.1');
    const received: Buffer[] = [];
    let timer: NodeJS.Timeout | undefined;
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ answer: parseAnswer(Buffer.concat(received), true), closedAfterMs: Date.now() - started });
    });
    socket.on('connect', () => {
      socket.write(head);
      let at = 0;
      if (everyMs > 0) timer = setInterval(() => at < trickle.length && socket.write(trickle.subarray(at, ++at)), everyMs);
    });
    // A server without limits would keep this open: the test fails on its own timeout then.
    setTimeout(() => socket.destroy(), 15_000).unref();
  });
}

test('slow headers are cut at the headers timeout', async () => {
  const server = await serverForTest({ config: limits });
  const outcome = await slowClient(server.url, 'GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ', Buffer.from('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'), 200);
  expect(outcome.closedAfterMs).toBeLessThan(limits.headersTimeoutMs + 2000);
  expect(outcome.answer?.status).toBe(408);
});

/** The head of an upload request of the API's first single-request path, as raw HTTP. */
async function uploadHead(url: string, api: (typeof uploadApis)[number], bytes: Buffer) {
  const send: Send = async (request) => (await sendRaw(url, request, { kind: 'none' }, 10_000)).answer!;
  const session = await api.connect(send);
  const path = session.paths.find((p) => !p.chunked)!;
  const [request] = (await path.prepare('trickled.bin', bytes)).requests;
  const head = `${request.method} ${request.path} HTTP/1.1\r\nHost: x\r\nContent-Length: ${request.body.length}\r\n${Object.entries(request.headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')}\r\n`;
  return { head, body: request.body, request };
}

test('a connection that goes quiet mid-body is closed at the idle timeout', async () => {
  const server = await serverForTest({ config: { ...limits, requestTimeoutMs: 60_000 } });
  const { head, body } = await uploadHead(server.url, uploadApis[0], Buffer.alloc(1000, 7));
  const outcome = await slowClient(server.url, head + body.subarray(0, 8).toString('latin1'), Buffer.alloc(0), 0);
  expect(outcome.closedAfterMs).toBeGreaterThanOrEqual(limits.idleTimeoutMs - 100);
  expect(outcome.closedAfterMs).toBeLessThan(limits.idleTimeoutMs + 2000);
});

for (const api of uploadApis) {
  test(`${api.id}: a trickled upload is answered in the dialect at the request timeout, and leaves no temp file`, async () => {
    const dataDir = tempDirForTest();
    const server = await serverForTest({ config: limits, dataDir });
    const { head, body, request } = await uploadHead(server.url, api, Buffer.alloc(64 * 1024, 7));
    // A byte every 200 ms keeps the connection from going idle; only the request timeout ends it.
    const outcome = await slowClient(server.url, head, body, 200);
    expect(outcome.closedAfterMs).toBeLessThan(limits.requestTimeoutMs + 2500);
    expect(outcome.answer, 'no answer before the connection closed').toBeDefined();
    const response = new Response(outcome.answer!.body.length ? new Uint8Array(outcome.answer!.body) : null, { status: outcome.answer!.status, headers: outcome.answer!.headers });
    expect(await judge(api.id, request.method, `${server.url}${request.path}`, response, { refused: true })).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(tempFiles(dataDir)).toEqual([]);
  });
}
