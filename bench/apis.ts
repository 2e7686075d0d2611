import { apis, findApi } from '../registry.ts';
import { perApiFixture } from '../test/support/per-api.ts';
import { requestJson } from './http-client.ts';
import type { LoadTarget } from './load.ts';
import type { BodySpec } from './transfer-client.ts';

/**
 * What the benchmark does with each API, from the API's own fixture (test/<id>/bench.ts, exporting
 * `benchApi`), so this folder names no API: the small GET and upload of the load phases, a
 * multipart upload path (the big transfers), a base64-in-JSON upload (its speed and memory).
 */
export interface SmallOperations {
  api: string;
  getLabel: string;
  uploadLabel: string;
  /** Auth headers: real credentials on the reference server, the same header shape for Prism. */
  credentials(site: string, prism: boolean): Promise<Record<string, string>>;
  /** Creates a record on the reference server and returns its id. */
  seed(site: string, auth: Record<string, string>): Promise<string>;
  /** The id Prism's examples answer for. */
  exampleId: string;
  get(site: string, auth: Record<string, string>, id: string): LoadTarget;
  upload(site: string, auth: Record<string, string>): LoadTarget;
}

export interface UploadPath {
  auth(site: string): Promise<Record<string, string>>;
  uploadUrl(site: string): string;
  body(fileName: string, size: number): BodySpec;
  /** The record's id and its size as the API reports it, from the upload's answer. */
  recordOf(answer: unknown): { id?: string; size?: number };
  downloadUrl(site: string, id: string): string;
  /** A metadata read of the record, when the API has one worth timing after the upload. */
  metadataUrl?(site: string, id: string): string;
}

export interface BenchApi {
  id: string;
  small?(smallBytes: number): Promise<SmallOperations>;
  /** A multipart/form-data upload (file last) and its download. */
  multipart?: UploadPath;
  /** The file base64-encoded inside a JSON body. */
  jsonUpload?: UploadPath;
}

export async function benchApis(): Promise<BenchApi[]> {
  const loaded = await Promise.all(apis.map((api) => perApiFixture<BenchApi>(api.id, 'bench.ts', 'benchApi', { optional: true })));
  return loaded.filter((api): api is BenchApi => api !== undefined);
}

/** The first API that offers `what`, with its title; throws when none does. */
export async function benchApiWith(what: 'multipart' | 'jsonUpload'): Promise<BenchApi & { title: string; path: UploadPath }> {
  const api = (await benchApis()).find((a) => a[what]);
  if (!api) throw new Error(`no API's test/<id>/bench.ts offers ${what}`);
  return { ...api, title: findApi(api.id)!.title, path: api[what]! };
}

/** Builds the small bodies once, so every target gets byte-identical requests. */
export async function smallOperations(apiId: string, smallBytes: number): Promise<SmallOperations> {
  const api = (await benchApis()).find((a) => a.id === apiId);
  if (!api?.small) throw new Error(`no small operations defined for API ${apiId} (test/${apiId}/bench.ts)`);
  return api.small(smallBytes);
}

/** Sends one upload and returns the id of the record it made (a 200 with `{id}`), for a load phase's GET. */
export async function seedByUpload(label: string, target: LoadTarget): Promise<string> {
  const answer = await requestJson(target.url, target);
  const id = (answer.body as { id?: string }).id;
  if (answer.status !== 200 || !id) throw new Error(`${label} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return id;
}
