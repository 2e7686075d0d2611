import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { RequestListener } from 'node:http';
import type { ServerConfig } from './server-config.ts';

/** How long a refused request's unread body may keep arriving after the answer, before the socket goes. */
const drainAfterAnswerMs = 5000;

/**
 * The reference server's HTTP server, with its timeouts set. Never listens: the CLI (or a test, on
 * port 0) does.
 *   - headers: a client has this long to send the request line and headers (Node answers 408);
 *   - request: the whole request, body included (the API answers in its dialect when it can);
 *   - idle: a connection with no byte in either direction for this long is closed.
 * Node checks the first two every `connectionsCheckingInterval`, so that is kept at a second.
 */
export function createHttpServer(app: RequestListener, config: Pick<ServerConfig, 'headersTimeoutMs' | 'requestTimeoutMs' | 'idleTimeoutMs'>): http.Server {
  const server = http.createServer(
    {
      // Node refuses a headers timeout longer than the request timeout.
      headersTimeout: config.requestTimeoutMs ? Math.min(config.headersTimeoutMs, config.requestTimeoutMs) : config.headersTimeoutMs,
      requestTimeout: config.requestTimeoutMs,
      connectionsCheckingInterval: Math.min(1000, config.headersTimeoutMs, config.requestTimeoutMs || Infinity),
    },
    app,
  );
  server.timeout = config.idleTimeoutMs;
  server.on('clientError', answerClientError);
  return server;
}

/**
 * Node's default for a broken request is a bare `400 Bad Request` and a destroyed socket. When the
 * request already reached the app (a body cut by a half-close, or a body still arriving at the
 * request timeout) and nothing has been answered yet, the app answers instead, in the API's
 * dialect: the request is marked aborted, which every body reader (the upload pipeline,
 * express.json) turns into its refusal. The socket goes once that answer is written, or after a
 * grace period.
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  const response = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
  const request = response?.req as (IncomingMessage & { attachkitCut?: string }) | undefined;
  const cutMidBody = error.code === 'HPE_INVALID_EOF_STATE' || error.code === 'ERR_HTTP_REQUEST_TIMEOUT';
  if (cutMidBody && response && request && !response.headersSent && !request.complete && socket.writable) {
    request.attachkitCut = error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 'The request took longer than the server allows.' : 'The request body ended before its declared length.';
    response.shouldKeepAlive = false;
    const guard = setTimeout(() => socket.destroy(), drainAfterAnswerMs);
    guard.unref();
    socket.once('close', () => clearTimeout(guard));
    response.once('finish', () => socket.destroySoon());
    request.emit('aborted');
    return;
  }
  if (socket.writable && (!response || !response.headersSent)) {
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  }
  socket.destroy();
}

/**
 * After a refusal sent before the request body was read whole (a size limit, a cut body): keep
 * reading and dropping the rest for a while, so the client sees the answer instead of a reset,
 * then close the connection if the body still has not ended.
 */
export function drainUnreadBody(req: IncomingMessage, res: ServerResponse): void {
  if (req.complete || req.destroyed) return;
  req.unpipe();
  req.resume();
  lingerOnClose(req);
  res.once('finish', () => {
    if (req.complete) return;
    const socket = req.socket;
    const guard = setTimeout(() => socket.destroy(), drainAfterAnswerMs);
    guard.unref();
    // The socket outlives the request (keep-alive): leave no listener on it once the body ended.
    const settled = () => {
      clearTimeout(guard);
      req.off('end', settled);
      socket.off('close', settled);
    };
    req.once('end', settled);
    socket.once('close', settled);
  });
}

/**
 * An answer that ends the connection (`Connection: close`, HTTP/1.0) makes Node destroy the socket
 * as soon as the answer is flushed; with the rest of the body still unread, the kernel then resets
 * the connection, and a client still sending gets EPIPE or ECONNRESET instead of the answer (most
 * clients read only once they have sent). So, as nginx's lingering_close does: send FIN after the
 * answer, keep dropping what arrives until the client ends the body or drainAfterAnswerMs passes.
 */
function lingerOnClose(req: IncomingMessage): void {
  const socket = req.socket;
  const destroySoon = socket.destroySoon;
  socket.destroySoon = function lingeringDestroySoon(this: Socket) {
    if (req.complete) return destroySoon.call(this);
    if (this.writable) this.end();
    const guard = setTimeout(() => this.destroy(), drainAfterAnswerMs);
    guard.unref();
    // Destroying discards writes not yet flushed: only once the answer is out.
    const close = () => (this.writableFinished ? this.destroy() : this.once('finish', () => this.destroy()));
    req.once('end', close);
    this.once('end', close);
    this.once('close', () => clearTimeout(guard));
  };
}
