import type { IncomingMessage } from 'node:http';
import type { Writable } from 'node:stream';
import { bodyCut } from './upload-scope.ts';

/** Whether the request carries a body at all (HTTP/1.1: Transfer-Encoding, or a Content-Length over 0). */
export function hasBody(req: IncomingMessage): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

/** Settles once `stream` takes writes again (or closes, so a writer never waits on a dead one). */
export function drained(stream: Writable): Promise<void> {
  return new Promise((resolve) => {
    const go = () => {
      stream.off('drain', go);
      stream.off('close', go);
      resolve();
    };
    stream.on('drain', go);
    stream.on('close', go);
  });
}

/**
 * Reads the request body piece by piece, each handled before the next is read (the request is
 * paused meanwhile), and resolves once the last is handled. Rejects, and reads no further, when a
 * handler fails, `refused` rejects (a refusal decided elsewhere, e.g. the blob store's), or the
 * body is cut off.
 */
export function readBody(req: IncomingMessage, handle: (piece: Buffer) => void | Promise<void>, refused?: Promise<unknown>): Promise<void> {
  return new Promise((resolve, reject) => {
    let reading = Promise.resolve();
    let done = false;
    const fail = (error: unknown) => {
      if (done) return;
      done = true;
      reject(error);
    };
    refused?.catch(fail);
    req.on('data', (piece: Buffer) => {
      if (done) return;
      req.pause();
      reading = Promise.resolve(handle(piece)).then(() => {
        if (!done) req.resume();
      });
      reading.catch(fail);
    });
    req.once('end', () => void reading.then(() => !done && ((done = true), resolve()), fail));
    req.once('aborted', () => fail(bodyCut(req)));
  });
}
