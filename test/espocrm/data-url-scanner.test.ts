import { randomBytes } from 'node:crypto';
import { expect, test } from 'vitest';
import { ChunkBodyScanner } from '../../server/apis/espocrm/chunk-scanner.ts';
import { DataUrlJsonScanner, type FileSink } from '../../server/apis/espocrm/data-url-scanner.ts';

// The native-speed readers of EspoCRM's base64 data URLs, fed in random slices: they must decode
// exactly what EspoCRM's rules decode (JSON escapes such as PHP's `\/`, whitespace skipped, `=`
// only at the end) and refuse the rest, wherever a slice boundary falls.
function slices(body: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at < body.length; ) {
    const n = 1 + Math.floor(Math.random() * 97);
    out.push(body.subarray(at, at + n));
    at += n;
  }
  return out;
}

async function scanAttachment(body: string): Promise<{ bytes: Buffer; verdict: string; rest: unknown; prefix?: string }> {
  const received: Buffer[] = [];
  let verdict = 'ok';
  let prefix: string | undefined;
  const sink: FileSink = {
    start: (p) => void (prefix = p),
    write: (b) => void received.push(b),
    end: () => undefined,
    fail: (reason) => void (verdict = reason),
  };
  const scanner = new DataUrlJsonScanner(() => sink, 1 << 20);
  for (const slice of slices(Buffer.from(body))) await scanner.write(slice);
  return { bytes: Buffer.concat(received), verdict, rest: JSON.parse(scanner.end()), prefix };
}

/** A data URL as PHP's json_encode writes it: every `/` escaped. */
function phpJson(value: unknown): string {
  return JSON.stringify(value).replaceAll('/', '\\/');
}

test('POST Attachment bodies decode exactly, whatever the slicing and escaping', async () => {
  for (let trial = 0; trial < 150; trial++) {
    const file = randomBytes(Math.floor(Math.random() * 3000));
    const url = `data:application/octet-stream;base64,${file.toString('base64')}`;
    const body = trial % 2 ? phpJson({ name: 'a/b.bin', file: url, size: file.length }) : JSON.stringify({ file: url, name: 'x' });
    const scanned = await scanAttachment(body);
    expect(scanned.verdict).toBe('ok');
    expect(scanned.bytes.equals(file)).toBe(true);
    expect(scanned.prefix).toBe('data:application/octet-stream;base64');
    expect((scanned.rest as { file: string }).file).toBe('data:application/octet-stream;base64,');
  }
});

test('EspoCRM\'s decoding rules: whitespace skipped; padding only at the end; no base64url, second comma or stray character', async () => {
  const ok = async (data: string) => (await scanAttachment(JSON.stringify({ file: `data:text/plain;base64,${data}` }))).bytes.toString();
  expect(await ok('aGVs bG8=')).toBe('hello');
  // A JSON escape for a line break is whitespace too (chunk_split output, json_encode'd).
  const escaped = await scanAttachment('{"file":"data:text/plain;base64,aGVs\\nbG8="}');
  expect(escaped.bytes.toString()).toBe('hello');
  expect(await ok('aGVsbG8')).toBe('hello');
  for (const bad of ['aGVs-G8=', 'aGVs_G8=', 'aG=VsbG8=', 'aGVsbG8,', 'aGVs!G8=', 'a']) {
    expect((await scanAttachment(JSON.stringify({ file: `data:text/plain;base64,${bad}` }))).verdict, bad).toBe('undecodable');
  }
  expect((await scanAttachment(JSON.stringify({ file: 'no comma at all' }))).verdict).toBe('no-comma');
  // Only the top-level `file` is a data URL; a nested one is an attribute like any other.
  const nested = await scanAttachment(JSON.stringify({ data: { file: 'data:x;base64,AAAA' }, file: 'data:text/plain;base64,aGk=' }));
  expect(nested.bytes.toString()).toBe('hi');
  expect((nested.rest as { data: { file: string } }).data.file).toBe('data:x;base64,AAAA');
});

test('chunk bodies decode the same in both documented forms, the JSON string and the bare data URL', async () => {
  for (let trial = 0; trial < 100; trial++) {
    const file = randomBytes(1 + Math.floor(Math.random() * 3000));
    const url = `data:image/png;base64,${file.toString('base64')}`;
    for (const body of [phpJson(url), JSON.stringify(url), url, `  ${url}\n`]) {
      const received: Buffer[] = [];
      const scanner = new ChunkBodyScanner((b) => void received.push(b));
      for (const slice of slices(Buffer.from(body))) await scanner.write(slice);
      expect(await scanner.end()).toBe('ok');
      expect(Buffer.concat(received).equals(file)).toBe(true);
      expect(scanner.prefix).toBe('data:image/png');
    }
  }
  const verdict = async (body: string) => {
    const scanner = new ChunkBodyScanner(() => undefined);
    await scanner.write(Buffer.from(body));
    return scanner.end();
  };
  expect(await verdict('"data:text/plain,aGk="')).toBe('no-marker');
  expect(await verdict('"data:text/plain;base64,aGk="x')).toBe('undecodable');
  expect(await verdict('"data:text/plain;base64,aGk=')).toBe('undecodable');
  expect(await verdict('data:text/plain;base64,a$Gk=')).toBe('undecodable');
});
