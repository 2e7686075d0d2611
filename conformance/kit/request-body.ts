import type { CallOptions } from './session.ts';

export interface EncodedBody {
  body?: BodyInit;
  /** Set when the options imply one and the caller did not give a Content-Type header. */
  contentType?: string;
  /** What reports show of the body (before redaction and truncation). */
  excerpt: string;
  /** Bytes sent; 0 for forms (the boundary is fetch's). */
  bytes: number;
}

/** The request body a call's options describe: JSON, text, raw bytes or a multipart form. */
export function encodeBody(options: CallOptions): EncodedBody {
  if (options.json !== undefined) {
    const body = JSON.stringify(options.json);
    return { body, contentType: options.contentType ?? 'application/json', excerpt: body, bytes: Buffer.byteLength(body) };
  }
  if (options.text !== undefined) {
    return { body: options.text, contentType: options.contentType ?? 'text/plain', excerpt: options.text, bytes: Buffer.byteLength(options.text) };
  }
  if (options.bytes !== undefined) {
    return { body: new Uint8Array(options.bytes), contentType: options.contentType, excerpt: `<${options.bytes.length} bytes>`, bytes: options.bytes.length };
  }
  if (options.form !== undefined) return { body: options.form, excerpt: describeForm(options.form), bytes: 0 };
  return { excerpt: '', bytes: 0 };
}

function describeForm(form: FormData): string {
  const parts: string[] = [];
  form.forEach((value, name) => {
    parts.push(typeof value === 'string' ? `${name}=${value.slice(0, 80)}` : `${name}=<file ${(value as File).name}, ${value.size} bytes>`);
  });
  return `multipart/form-data: ${parts.join('; ')}`;
}
