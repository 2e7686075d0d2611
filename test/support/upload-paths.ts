import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { apis, rootDir } from '../../registry.ts';
import type { RawAnswer, RawRequest } from './raw-http.ts';

/**
 * Every way an API takes file bytes, described so one generic fault harness can cut, reset and
 * overflow each of them (test/reliability/fault-harness.test.ts). Each API supplies its own in
 * `test/<id>/upload-paths.ts` (exporting `uploadApi`); this file, like the harness, names no API.
 */
export interface UploadApi {
  id: string;
  /** Signs in (where the API needs a token) through `send`, which talks to the server under test. */
  connect(send: Send): Promise<UploadSession>;
}

/** Sends one request whole (on its own connection) and resolves with the whole answer. */
export type Send = (request: RawRequest) => Promise<RawAnswer>;

export interface UploadSession {
  paths: UploadPath[];
  /**
   * Ids of every complete record that holds file bytes, as the API lists or enumerates them, so
   * the harness can check that each downloads whole, records a cut request left behind included.
   * `acknowledged` holds the ids the harness was given; an API that cannot enumerate returns them.
   */
  listed(acknowledged: string[]): Promise<string[]>;
  downloadRequest(id: string): RawRequest;
  /** Deletes a record through the API; absent when the API has no delete. */
  removeRequest?(id: string): RawRequest;
}

export interface UploadPath {
  /** Short label, e.g. `multipart` or `chunked`. */
  name: string;
  /** True for uploads made of several requests whose state lives on the server between them. */
  chunked?: boolean;
  /**
   * Prepares one upload of `bytes`: the requests that carry them, none sent yet (a chunked
   * upload is started first, and its chunks are the requests).
   */
  prepare(fileName: string, bytes: Buffer): Promise<PreparedUpload>;
  /** Is `answer` this API's refusal of a file over the server's size limit? */
  isLimitAnswer(answer: RawAnswer): boolean;
}

export interface PreparedUpload {
  requests: RawRequest[];
  /** The id of the record the upload made, from the success answer to its last request. */
  idOf(answer: RawAnswer): string | undefined;
  /** The record's id when it is known before the bytes are sent (a chunked upload's). */
  id?: string;
}

async function load(id: string): Promise<UploadApi> {
  const module = (await import(pathToFileURL(path.join(rootDir, 'test', id, 'upload-paths.ts')).href)) as { uploadApi: UploadApi };
  if (module.uploadApi?.id !== id) throw new Error(`test/${id}/upload-paths.ts must export uploadApi with id '${id}'`);
  return module.uploadApi;
}

export const uploadApis: UploadApi[] = await Promise.all(apis.map((api) => load(api.id)));
