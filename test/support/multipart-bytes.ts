import { randomBytes } from 'node:crypto';

/** A multipart/form-data body as bytes: text fields first, then one file part (Case IQ wants it last). */
export function multipartBytes(fields: Record<string, string>, file: { field: string; fileName: string; bytes: Buffer; type?: string }): { contentType: string; body: Buffer } {
  const boundary = `----attachkit-${randomBytes(8).toString('hex')}`;
  const head = Object.entries(fields)
    .map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`)
    .join('');
  const part = `--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.fileName}"\r\nContent-Type: ${file.type ?? 'application/octet-stream'}\r\n\r\n`;
  const body = Buffer.concat([Buffer.from(head + part), file.bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]);
  return { contentType: `multipart/form-data; boundary=${boundary}`, body };
}
