/**
 * One file-attachment round trip per API, written only with that API's generated SDK, so the same
 * code runs in Node (test/<id>/sdk.test.ts, against the reference server and `attachkit mock`)
 * and in a browser page from another origin (test/browser/cors.test.ts). Each API has its own in
 * test/<id>/sdk-round-trip.ts; like the SDK, they import nothing from Node.
 */
export interface SdkFile {
  name: string;
  type: string;
  /** Base64, so the same value crosses into a browser page. */
  base64: string;
}

export interface RoundTripOptions {
  /** Site root (the SDK's baseUrl). */
  baseUrl: string;
  /** The development credentials, by the registry's flag names (`api-key`, `username` …). */
  credentials: Record<string, string>;
  files: SdkFile[];
}

export interface RoundTrip {
  /** Status of a call made without credentials (the API's 401). */
  unauthenticatedStatus: number;
  /** The response bodies of every JSON call, by operationId (for zod checks against the mock). */
  json: Array<{ operationId: string; status: number; data: unknown }>;
  /** Names of the files as the API lists them after linking. */
  listed: string[];
  downloads: Array<{ name: string; status: number; base64: string; contentType: string | null; contentDisposition: string | null; isBlob: boolean }>;
}

export type RoundTripFunction = (options: RoundTripOptions) => Promise<RoundTrip>;

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

export function fromBase64(base64: string): Uint8Array {
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

export function fileOf(file: SdkFile): File {
  return new File([fromBase64(file.base64) as BlobPart], file.name, { type: file.type });
}

/** Keeps each JSON call's status and body in the round trip's record, and passes the call on. */
export function recorder(result: RoundTrip) {
  return <T extends { data?: unknown; error?: unknown; response?: Response }>(operationId: string, call: T): T => {
    result.json.push({ operationId, status: call.response?.status ?? 0, data: call.data ?? call.error });
    return call;
  };
}

/** A downloaded body as the SDK returned it: must be a Blob, whatever the file's Content-Type. */
export async function downloaded(name: string, result: { data?: unknown; response?: Response }): Promise<RoundTrip['downloads'][number]> {
  const isBlob = result.data instanceof Blob;
  const bytes = isBlob ? new Uint8Array(await (result.data as Blob).arrayBuffer()) : new TextEncoder().encode(String(result.data));
  return {
    name,
    status: result.response?.status ?? 0,
    base64: toBase64(bytes),
    contentType: result.response?.headers.get('content-type') ?? null,
    contentDisposition: result.response?.headers.get('content-disposition') ?? null,
    isBlob,
  };
}

/** Files that trip the old SDK: raw bytes, text that is not UTF-8, JSON, and a UTF-8 name. */
export function sampleFiles(): SdkFile[] {
  const binary = new Uint8Array(256).map((_, i) => i);
  const latin1Text = Uint8Array.from([...'caf', 0xe9, ...' ', 0xff, 0xfe, ...'\r\nend'].map((c) => (typeof c === 'number' ? c : c.charCodeAt(0))));
  return [
    { name: 'all-bytes.bin', type: 'application/octet-stream', base64: toBase64(binary) },
    { name: 'latin1-notes.txt', type: 'text/plain', base64: toBase64(latin1Text) },
    { name: 'données été ✓.json', type: 'application/json', base64: toBase64(new TextEncoder().encode('{"total": 3, "items": []}\n')) },
  ];
}
