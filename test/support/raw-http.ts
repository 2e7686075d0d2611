import net from 'node:net';

/** One HTTP/1.1 request as bytes on the wire, so a test can cut it anywhere. */
export interface RawRequest {
  method: string;
  /** Path and query, e.g. `/api/v1/Attachment`. */
  path: string;
  headers: Record<string, string>;
  body: Buffer;
}

export interface RawAnswer {
  status: number;
  /** Lower-cased names. */
  headers: Record<string, string>;
  body: Buffer;
}

export type Cut =
  /** Send the whole request and read the answer (as soon as it arrives, even mid-body). */
  | { kind: 'none' }
  /**
   * Send the whole body whatever comes back, then read the answer, as most clients do (they read
   * only once they have sent): a server that resets the connection under an early answer makes
   * this end with the send's error (EPIPE, ECONNRESET) instead.
   */
  | { kind: 'whole' }
  /** Send `offset` body bytes, then close with RST (`reset`) or half-close with FIN and keep listening (`fin`). */
  | { kind: 'reset' | 'fin'; offset: number }
  /** Send the whole body, then reset at once without reading the answer. */
  | { kind: 'reset-after-body' }
  /** Send `offset` body bytes, then send nothing more and wait (for the server to die, or time out). */
  | { kind: 'stall'; offset: number };

export interface RawResult {
  /** The answer, when one arrived whole (status line, headers and a body of its Content-Length). */
  answer?: RawAnswer;
  /** How the exchange ended when no whole answer arrived: `timeout`, `closed`, an error code. */
  ending?: string;
  elapsedMs: number;
}

/**
 * Sends a request over a plain TCP socket, optionally cutting it, and waits at most `timeoutMs`
 * for the answer. fetch cannot do this: it neither stops mid-body nor resets a connection. The
 * answer is read while the body is still being sent, so an early refusal (a size limit) is seen
 * even when the server stops reading.
 */
export function sendRaw(url: string, request: RawRequest, cut: Cut, timeoutMs: number): Promise<RawResult> {
  const { hostname, port } = new URL(url);
  const started = Date.now();
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port) });
    const received: Buffer[] = [];
    let done = false;
    const finish = (result: Omit<RawResult, 'elapsedMs'>) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (!socket.destroyed) socket.destroy();
      resolve({ ...result, elapsedMs: Date.now() - started });
    };
    const timer = setTimeout(() => finish({ ending: 'timeout' }), timeoutMs);
    let sent = cut.kind !== 'whole';
    const answerIfWhole = () => {
      const answer = parseAnswer(Buffer.concat(received));
      if (answer && sent) finish({ answer });
    };
    socket.on('data', (chunk: Buffer) => {
      received.push(chunk);
      answerIfWhole();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => finish({ answer: parseAnswer(Buffer.concat(received), true), ending: error.code ?? error.message }));
    socket.on('close', () => finish({ answer: parseAnswer(Buffer.concat(received), true), ending: 'closed' }));
    socket.on('connect', () => {
      void writeRequest(socket, request, cut).then(() => {
        if (cut.kind === 'reset-after-body') finish({ ending: 'reset by the client' });
        sent = true;
        answerIfWhole();
      });
    });
  });
}

async function writeRequest(socket: net.Socket, request: RawRequest, cut: Cut): Promise<void> {
  const headers = { Host: 'localhost', Connection: 'close', 'Content-Length': String(request.body.length), ...request.headers };
  const head = `${request.method} ${request.path} HTTP/1.1\r\n${Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('')}\r\n`;
  const limit = 'offset' in cut ? Math.min(cut.offset, request.body.length) : request.body.length;
  if (!(await write(socket, Buffer.from(head, 'latin1')))) return;
  for (let at = 0; at < limit; at += 64 * 1024) {
    if (!(await write(socket, request.body.subarray(at, Math.min(limit, at + 64 * 1024))))) return;
  }
  if (cut.kind === 'none' || cut.kind === 'whole' || cut.kind === 'stall') return;
  // Let the server read what was sent before the cut, so the cut lands mid-body, not mid-buffer.
  await new Promise((resolve) => setTimeout(resolve, 100));
  if (socket.destroyed) return;
  if (cut.kind === 'fin') socket.end();
  else socket.resetAndDestroy();
}

/** Resolves true once the chunk is handed to the kernel, false when the socket is gone. */
function write(socket: net.Socket, chunk: Buffer): Promise<boolean> {
  return new Promise((resolve) => {
    if (socket.destroyed || !socket.writable) return resolve(false);
    socket.write(chunk, (error) => resolve(!error));
  });
}

/** A whole answer in `bytes`, or undefined while it is incomplete (or, at the end, missing). */
export function parseAnswer(bytes: Buffer, atEnd = false): RawAnswer | undefined {
  const headEnd = bytes.indexOf('\r\n\r\n');
  if (headEnd < 0) return undefined;
  const [statusLine, ...lines] = bytes.subarray(0, headEnd).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1]);
  if (!status) return undefined;
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const rest = bytes.subarray(headEnd + 4);
  if (headers['content-length'] !== undefined) {
    const length = Number(headers['content-length']);
    if (rest.length < length) return undefined;
    return { status, headers, body: rest.subarray(0, length) };
  }
  // No length (chunked or close-delimited): only a closed connection delimits it; tests read whole answers only.
  return atEnd ? { status, headers, body: rest } : undefined;
}
