import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { apis, configuredCredential, rootDir, type ApiEntry } from '../../registry.ts';
import type { RoundTripFunction } from './sdk-round-trip.ts';

/** Each API's SDK round trip (test/<id>/sdk-round-trip.ts), loaded by the registry's ids. */
export async function sdkRoundTrip(id: string): Promise<RoundTripFunction> {
  const module = (await import(pathToFileURL(path.join(rootDir, 'test', id, 'sdk-round-trip.ts')).href)) as { roundTrip?: RoundTripFunction };
  if (typeof module.roundTrip !== 'function') throw new Error(`test/${id}/sdk-round-trip.ts must export roundTrip`);
  return module.roundTrip;
}

/** The development credentials the reference server accepts, by flag name, read from the registry. */
export function devCredentials(api: ApiEntry): Record<string, string> {
  return Object.fromEntries(api.credentials.filter((c) => c.devDefault !== undefined).map((c) => [c.flag, configuredCredential(api, c.flag)]));
}

/** A generated module of an API (`zod.gen.ts` …), by the registry's `generated` folder. */
export async function generatedModule<T>(api: ApiEntry, file: string): Promise<T> {
  return (await import(pathToFileURL(path.join(rootDir, api.generated, file)).href)) as T;
}

export { apis };
