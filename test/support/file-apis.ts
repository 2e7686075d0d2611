import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { apis, rootDir } from '../../registry.ts';

/**
 * Upload and download a file through each API the same way, for tests that hold all three to
 * one rule (durability, concurrency, file names, faults). `connect` obtains a token where the API
 * needs one. Each API supplies its own in `test/<id>/file-api.ts` (exporting `fileApi`), so this
 * file, like every generic test, names no API: the registry says which exist.
 */
export interface FileApi {
  id: string;
  /** An id of the API's shape that no record has (a download of it must be the API's 404). */
  missingId: string;
  connect(url: string): Promise<FileSession>;
}

export interface FileSession {
  upload(name: string, bytes: Buffer): Promise<{ status: number; id?: string }>;
  download(id: string): Promise<Response>;
}

async function load(id: string): Promise<FileApi> {
  const module = (await import(pathToFileURL(path.join(rootDir, 'test', id, 'file-api.ts')).href)) as { fileApi: FileApi };
  if (module.fileApi?.id !== id) throw new Error(`test/${id}/file-api.ts must export fileApi with id '${id}'`);
  return module.fileApi;
}

export const fileApis: FileApi[] = await Promise.all(apis.map((api) => load(api.id)));
