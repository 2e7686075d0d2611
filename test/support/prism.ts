import { findApi } from '../../registry.ts';
import { startMock, type RunningMock } from '../../cli/mock.ts';
import { freePort } from './free-port.ts';

/** `attachkit mock <api>` on a free port. */
export async function startPrism(apiId: string): Promise<RunningMock> {
  const entry = findApi(apiId);
  if (!entry) throw new Error(`unknown API ${apiId}`);
  return startMock(entry, { port: await freePort(), host: '127.0.0.1' });
}

/**
 * Prism's validation proxy (`prism proxy`) for one API in front of `upstream`: every answer comes
 * back with Prism's `sl-violations` header when Prism finds it breaks the contract, as a generic
 * tool reads the contract.
 */
export async function startPrismProxy(apiId: string, upstream: string): Promise<RunningMock> {
  const entry = findApi(apiId);
  if (!entry) throw new Error(`unknown API ${apiId}`);
  return startMock(entry, { port: await freePort(), host: '127.0.0.1', upstream });
}

/** The violations Prism found in the response part of an answer (its request findings are ours to cause). */
export function responseViolations(response: Response): string[] {
  const header = response.headers.get('sl-violations');
  if (!header) return [];
  return (JSON.parse(header) as Array<{ location: string[]; message: string }>).filter((v) => v.location[0] === 'response').map((v) => `${v.location.join('.')}: ${v.message}`);
}
