import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';

/** A request body produced on the fly: never held whole in memory, whatever its size. */
export interface StreamedBody {
  stream: Readable;
  /** Bytes the stream produces in all (the Content-Length). */
  length: number;
  /** Bytes of the file itself, without framing or encoding. */
  fileBytes: number;
  /** sha256 (hex) of the file bytes, computed as they were generated; known once the stream has ended. */
  fileSha256(): string;
}

export interface BodyOptions {
  /** File size in bytes. */
  size: number;
  /** Framing sent before and after the file (multipart headers, JSON around a data URL). */
  prefix?: string;
  suffix?: string;
  /** `base64`: the file travels base64-encoded (a data URL inside JSON). */
  encoding?: 'binary' | 'base64';
}

/**
 * 48 KiB: a multiple of 3, so chunk-by-chunk base64 concatenates into one valid encoding. On this
 * loopback, writes of 32–64 KiB go out about twice as fast as writes of 256 KiB–1 MiB.
 */
const chunkBytes = 3 * 16 * 1024;

/**
 * A pseudo-random file: one random block per body, each chunk stamped with its index, so every
 * chunk differs and a reordered or repeated chunk changes the sha256. Generating costs a memcpy
 * per chunk; hashing runs as the bytes go out.
 */
export function streamedBody(options: BodyOptions): StreamedBody {
  const prefix = Buffer.from(options.prefix ?? '');
  const suffix = Buffer.from(options.suffix ?? '');
  const base64 = options.encoding === 'base64';
  const encodedSize = base64 ? Math.ceil(options.size / 3) * 4 : options.size;
  const template = randomBytes(chunkBytes);
  // A full chunk differs from the template only in its first 8 bytes: its base64 is that of its
  // first 9 bytes (3 groups) followed by the template's, encoded once, so encoding costs the
  // client a memcpy and the server, not the client, sets the pace.
  const templateTail64 = base64 ? Buffer.from(template.subarray(9).toString('base64')) : undefined;
  const encode = (chunk: Buffer) =>
    chunk.length === chunkBytes ? Buffer.concat([Buffer.from(chunk.subarray(0, 9).toString('base64')), templateTail64!]) : Buffer.from(chunk.toString('base64'));
  const hash = createHash('sha256');
  let digest: string | undefined;
  let sent = 0;
  let index = 0;
  let phase: 'prefix' | 'file' | 'suffix' | 'done' = 'prefix';

  const stream = new Readable({
    highWaterMark: chunkBytes,
    read() {
      for (;;) {
        if (phase === 'prefix') {
          phase = 'file';
          if (prefix.length && !this.push(prefix)) return;
        } else if (phase === 'file') {
          if (sent >= options.size) {
            digest = hash.digest('hex');
            phase = 'suffix';
            continue;
          }
          const n = Math.min(chunkBytes, options.size - sent);
          const chunk = Buffer.allocUnsafe(n);
          template.copy(chunk, 0, 0, n);
          if (n >= 8) chunk.writeDoubleBE(index, 0);
          index++;
          sent += n;
          hash.update(chunk);
          if (!this.push(base64 ? encode(chunk) : chunk)) return;
        } else if (phase === 'suffix') {
          phase = 'done';
          if (suffix.length && !this.push(suffix)) return;
        } else {
          this.push(null);
          return;
        }
      }
    },
  });
  return {
    stream,
    length: prefix.length + encodedSize + suffix.length,
    fileBytes: options.size,
    fileSha256() {
      if (digest === undefined) throw new Error('the body has not been sent whole yet');
      return digest;
    },
  };
}

/** A multipart/form-data body: text fields first, then the file as the LAST part (Case IQ's rule). */
export function multipartBody(fields: Record<string, string>, file: { field: string; fileName: string; size: number }): StreamedBody & { contentType: string } {
  const boundary = `----attachkit-bench-${randomBytes(8).toString('hex')}`;
  const head = Object.entries(fields)
    .map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`)
    .join('');
  const prefix = `${head}--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`;
  const body = streamedBody({ size: file.size, prefix, suffix: `\r\n--${boundary}--\r\n` });
  return { ...body, contentType: `multipart/form-data; boundary=${boundary}` };
}

/** A JSON body: the given attributes with `file` as a base64 data URL, streamed. */
export function dataUrlJsonBody(attributes: Record<string, unknown>, file: { mimeType: string; size: number }): StreamedBody {
  const json = JSON.stringify({ ...attributes, file: '' });
  const prefix = `${json.slice(0, -2)}data:${file.mimeType};base64,`;
  return streamedBody({ size: file.size, prefix, suffix: '"}', encoding: 'base64' });
}

/** Reads a whole body of a stream into one Buffer: for the small, fixed bodies of load phases only. */
export async function collect(body: StreamedBody): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of body.stream) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}
