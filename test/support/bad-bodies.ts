import { judge } from './judge.ts';

/**
 * Helpers of each API's bad-body tests (test/<id>/bad-bodies.test.ts): malformed JSON, broken
 * multipart and oversize fields each get the API's documented 4xx, in its own dialect (judged
 * against the contract by the conformance checks), never a 500.
 */
export const bigField = 'x'.repeat(2 * 1024 * 1024);

/** A multipart body cut in the middle of its second part's headers. */
export function brokenMultipart(boundary: string, first: { name: string; value: string }): string {
  return `--${boundary}\r\nContent-Disposition: form-data; name="${first.name}"\r\n\r\n${first.value}\r\n--${boundary}\r\nContent-Disposition: form-da`;
}

/** The check failures of the API's answer to the request, judged as a refusal (empty: a proper 4xx in its dialect). */
export async function refused(url: string, apiId: string, method: string, path: string, init: RequestInit): Promise<string[]> {
  return judge(apiId, method, `${url}${path}`, await fetch(`${url}${path}`, { method, ...init }), { refused: true });
}

export function multipart(fields: Record<string, string>, headers: Record<string, string>): RequestInit {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  return { body: form, headers };
}
