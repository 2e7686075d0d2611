import { findApi } from '../../registry.ts';
import { startMock, type RunningMock } from '../../cli/mock.ts';
import { freePort } from './free-port.ts';

/** `attachkit mock <api>` on a free port. */
export async function startPrism(apiId: string): Promise<RunningMock> {
  const entry = findApi(apiId);
  if (!entry) throw new Error(`unknown API ${apiId}`);
  return startMock(entry, { port: await freePort(), host: '127.0.0.1' });
}
