import { Base64Stream, MalformedJsonError } from './data-url-scanner.ts';

const marker = ';base64,';
const prefixLimit = 1024;
const quote = 0x22;
const backslash = 0x5c;

export type ChunkVerdict = 'ok' | 'no-marker' | 'undecodable';

/**
 * One chunk body of POST Attachment/chunk/{id}, read as it arrives. EspoCRM takes the raw body
 * whatever its type, splits it at `;base64,` and base64-decodes the rest (Api/PostChunk.php,
 * UploadService::uploadChunk); its web client sends the data URL as a JSON string, quotes and
 * `\/` escapes included (client/src/helpers/file-upload.js). Both forms are read here: a body
 * starting with `"` is a JSON string and ends at its closing quote. The decoded bytes go to
 * `out`; the verdict says whether the body was a decodable chunk.
 */
export class ChunkBodyScanner {
  private mode: 'lead' | 'prefix' | 'data' | 'tail' | 'skip' = 'lead';
  private quoted = false;
  private head = '';
  private verdict: ChunkVerdict | undefined;
  private data: Base64Stream;

  constructor(private readonly out: (bytes: Buffer) => void | Promise<void>) {
    this.data = new Base64Stream(out);
  }

  /** The data URL's prefix (`data:<mime>`), once the marker was found. */
  prefix: string | undefined;

  async write(chunk: Buffer): Promise<void> {
    let at = 0;
    while (at < chunk.length && this.mode !== 'skip') {
      if (this.mode === 'lead') {
        while (at < chunk.length && chunk[at] <= 0x20) at++;
        if (at === chunk.length) return;
        this.quoted = chunk[at] === quote;
        if (this.quoted) at++;
        // A bare data URL is text, not JSON: no escapes, and line breaks are whitespace.
        else this.data = new Base64Stream(this.out, false);
        this.mode = 'prefix';
      } else if (this.mode === 'prefix') {
        at = await this.prefixPart(chunk, at);
      } else if (this.mode === 'data') {
        at = await this.dataPart(chunk, at);
      } else {
        // After the closing quote only whitespace may follow.
        for (; at < chunk.length; at++) if (chunk[at] > 0x20) return this.fail('undecodable');
      }
    }
  }

  async end(): Promise<ChunkVerdict> {
    if (this.verdict) return this.verdict;
    if (this.mode === 'lead' || this.mode === 'prefix') return (this.verdict = 'no-marker');
    // A JSON string that never closes is not one.
    if (this.mode === 'data' && this.quoted) return (this.verdict = 'undecodable');
    if (this.mode === 'data' && !(await this.data.end().catch(() => false))) return (this.verdict = 'undecodable');
    return (this.verdict = 'ok');
  }

  private fail(verdict: ChunkVerdict): void {
    this.verdict = verdict;
    this.mode = 'skip';
  }

  private async prefixPart(chunk: Buffer, from: number): Promise<number> {
    const seen = this.head.length;
    const room = Math.min(chunk.length, from + prefixLimit + marker.length - seen);
    this.head += chunk.toString('latin1', from, room);
    const found = this.head.indexOf(marker);
    const closing = this.quoted ? unescapedQuote(this.head) : -1;
    if (closing >= 0 && (found < 0 || closing < found)) {
      this.fail('no-marker');
      return chunk.length;
    }
    if (found < 0) {
      if (this.head.length >= prefixLimit + marker.length) this.fail('no-marker');
      return room;
    }
    const raw = this.head.slice(0, found);
    this.prefix = this.quoted ? decodeJsonText(raw) : raw;
    this.mode = 'data';
    // Bytes of this chunk past the marker are data.
    return from + (found + marker.length - seen);
  }

  private async dataPart(chunk: Buffer, from: number): Promise<number> {
    let end = this.quoted ? chunk.indexOf(quote, from) : -1;
    while (end >= 0 && escaped(chunk, from, end, this.data.carry)) end = chunk.indexOf(quote, end + 1);
    const stop = end < 0 ? chunk.length : end;
    try {
      await this.data.push(chunk.toString('latin1', from, stop));
    } catch (error) {
      if (!(error instanceof MalformedJsonError)) throw error;
      this.fail('undecodable');
      return chunk.length;
    }
    if (this.data.failed) {
      this.fail('undecodable');
      return chunk.length;
    }
    if (end < 0) return chunk.length;
    if (!(await this.data.end().catch(() => false))) {
      this.fail('undecodable');
      return chunk.length;
    }
    this.mode = 'tail';
    return end + 1;
  }
}

function escaped(chunk: Buffer, from: number, at: number, carry: string): boolean {
  let run = 0;
  for (let i = at - 1; i >= from && chunk[i] === backslash; i--) run++;
  if (run === at - from) for (let i = carry.length - 1; i >= 0 && carry[i] === '\\'; i--) run++;
  return run % 2 === 1;
}

function unescapedQuote(text: string): number {
  for (let i = text.indexOf('"'); i >= 0; i = text.indexOf('"', i + 1)) {
    let run = 0;
    for (let j = i - 1; j >= 0 && text[j] === '\\'; j--) run++;
    if (run % 2 === 0) return i;
  }
  return -1;
}

function decodeJsonText(raw: string): string {
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw;
  }
}
