import { BlobStoreUnavailableError } from './blob-store.ts';

/** Socket-level failures: the engine is down, restarting or unreachable. */
const networkCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'EAI_AGAIN']);

/**
 * Is this error an engine being unavailable (PostgreSQL restarting, the object store down)
 * rather than a bug? Such a request fails in the API's dialect and the next one may succeed:
 * connections are reopened on demand, so attachkit needs no restart.
 */
export function isStoreUnavailable(error: unknown): boolean {
  for (let e = error as { code?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (e instanceof BlobStoreUnavailableError) return true;
    const code = typeof e.code === 'string' ? e.code : '';
    // SQLSTATE 08xxx: connection exceptions; 57P01-57P03: shutdown, crash, not yet accepting.
    if (networkCodes.has(code) || /^08...$/.test(code) || /^57P0[1-3]$/.test(code)) return true;
    const message = typeof e.message === 'string' ? e.message : '';
    if (/Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/.test(message)) return true;
  }
  return false;
}
