/**
 * A one-pass reader of POST Attachment's JSON body that hands the top-level `file` data URL's
 * bytes to a sink as they arrive, base64-decoded, and keeps the rest of the JSON (the small
 * attributes) as text, the file string reduced to `"<prefix>,"`.
 *
 * Speed is the point (npm run bench: EspoCRM base64 upload): the data runs through native code
 * only, a chunk at a time: `indexOf` finds the closing quote or an escape, `Buffer.from(…,
 * 'base64')` decodes, and the decoded length proves the chunk held nothing but the base64
 * alphabet (Node's decoder skips any other character, so the length falls short). Only a chunk
 * that fails that proof (whitespace, padding, an escape such as PHP's `\/`, a bad character) takes
 * the slow path, which decides exactly as EspoCRM's decoder rules below.
 *
 * Rules (CreateInputFilter: `explode(',', $file)`, then base64_decode of part 1): the prefix runs
 * to the first comma; whitespace in the data is skipped; `=` may only end it; anything else
 * (a second comma included) makes the contents undecodable.
 */
export interface FileSink {
  /** The data URL's prefix is complete (`data:<mime>;base64`, JSON escapes decoded). */
  start(prefix: string): void;
  /** Decoded bytes; may return a promise to pause the reader (backpressure). */
  write(bytes: Buffer): void | Promise<void>;
  /** The string ended and every byte was written. */
  end(): void;
  /** The contents cannot be decoded (or have no comma); the rest of the string is skipped. */
  fail(reason: 'no-comma' | 'undecodable'): void;
}

export class MalformedJsonError extends Error {}

/** The attributes beside `file` grew past the reader's bound; `key` is the top-level attribute being read. */
export class AttributesTooLargeError extends Error {
  constructor(readonly key: string | undefined) {
    super('attributes too large');
  }
}

const quote = 0x22;
const backslash = 0x5c;
const comma = 0x2c;
const prefixLimit = 1024;
const jsonEscapes: Record<string, string> = { '/': '/', '\\': '\\', '"': '"', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

type Mode = 'json' | 'prefix' | 'data' | 'skip';

export class DataUrlJsonScanner {
  private mode: Mode = 'json';
  private readonly rest: Buffer[] = [];
  private restBytes = 0;
  // JSON structure outside the file string.
  private inString = false;
  private escaped = false;
  private depth = 0;
  private readonly containers: number[] = [];
  private expectKey = false;
  private key: number[] | undefined;
  private lastKey: string | undefined;
  private valueKey: string | undefined;
  // Inside the file string.
  private prefix: number[] = [];
  private data: Base64Stream | undefined;
  private sink: FileSink | undefined;

  constructor(
    private readonly openSink: () => FileSink,
    private readonly maxAttributeBytes: number,
  ) {}

  /** Reads one chunk of the body. Resolves when the sink has room for more. */
  async write(chunk: Buffer): Promise<void> {
    let at = 0;
    while (at < chunk.length) {
      if (this.mode === 'json') at = this.json(chunk, at);
      else if (this.mode === 'prefix') at = this.prefixPart(chunk, at);
      else at = await this.dataPart(chunk, at);
    }
  }

  /** The body ended: the attributes' JSON text, with `file` as `"<prefix>,"`. */
  end(): string {
    if (this.mode !== 'json' || this.inString) throw new MalformedJsonError('the body ends inside a string');
    return Buffer.concat(this.rest).toString('utf8');
  }

  private keep(bytes: Buffer): void {
    this.restBytes += bytes.length;
    if (this.restBytes > this.maxAttributeBytes) throw new AttributesTooLargeError(this.valueKey ?? this.lastKey);
    this.rest.push(bytes);
  }

  /** The JSON outside the file string: tracked byte by byte (it is small), kept verbatim. */
  private json(chunk: Buffer, from: number): number {
    for (let i = from; i < chunk.length; i++) {
      const c = chunk[i];
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === backslash) this.escaped = true;
        else if (c === quote) {
          this.inString = false;
          if (this.key) {
            this.lastKey = decodeJsonString(Buffer.from(this.key));
            this.key = undefined;
          }
          continue;
        }
        if (this.key && this.key.length < prefixLimit) this.key.push(c);
        continue;
      }
      if (c <= 0x20) continue;
      const topLevelObject = this.depth === 1 && this.containers[0] === 0x7b;
      if (topLevelObject && this.valueKey !== undefined && c !== 0x3a) {
        const key = this.valueKey;
        this.valueKey = undefined;
        if (key === 'file' && c === quote) {
          this.keep(chunk.subarray(from, i + 1));
          this.openFile();
          return i + 1;
        }
      }
      if (c === quote) {
        this.inString = true;
        if (topLevelObject && this.expectKey) {
          this.expectKey = false;
          this.key = [];
        }
      } else if (c === 0x7b || c === 0x5b) {
        this.containers.push(c);
        this.depth++;
        this.expectKey = c === 0x7b && this.depth === 1;
      } else if (c === 0x7d || c === 0x5d) {
        this.containers.pop();
        this.depth--;
      } else if (topLevelObject && c === 0x3a) {
        this.valueKey = this.lastKey;
      } else if (topLevelObject && c === comma) {
        this.expectKey = true;
      }
    }
    this.keep(chunk.subarray(from));
    return chunk.length;
  }

  private openFile(): void {
    // A repeated `file` attribute replaces the earlier one, as json_decode keeps the last.
    this.sink?.fail('undecodable');
    this.sink = this.openSink();
    this.mode = 'prefix';
    this.prefix = [];
    const sink = this.sink;
    this.data = new Base64Stream((bytes) => sink.write(bytes));
  }

  /** Up to the first comma: `data:<mime>;base64`. */
  private prefixPart(chunk: Buffer, from: number): number {
    for (let i = from; i < chunk.length; i++) {
      const c = chunk[i];
      const escapedHere = this.prefix.length > 0 && this.prefix[this.prefix.length - 1] === backslash && !escapedBackslash(this.prefix);
      if (c === quote && !escapedHere) {
        // The string ends without a comma: the data URL is not one.
        this.keep(Buffer.from(this.prefix));
        this.keep(Buffer.from('"'));
        this.sink!.fail('no-comma');
        this.mode = 'json';
        return i + 1;
      }
      if (c === comma && !escapedHere) {
        const raw = Buffer.from(this.prefix);
        this.keep(raw);
        this.keep(Buffer.from(','));
        this.sink!.start(decodeJsonString(raw));
        this.mode = 'data';
        return i + 1;
      }
      this.prefix.push(c);
      if (this.prefix.length > prefixLimit) {
        this.keep(Buffer.from(','));
        this.sink!.fail('no-comma');
        this.mode = 'skip';
        return i + 1;
      }
    }
    return chunk.length;
  }

  /** The base64 data, up to the closing quote. */
  private async dataPart(chunk: Buffer, from: number): Promise<number> {
    const data = this.data!;
    let end = chunk.indexOf(quote, from);
    while (end >= 0 && isEscaped(chunk, from, end, data.carry)) end = chunk.indexOf(quote, end + 1);
    const stop = end < 0 ? chunk.length : end;
    if (this.mode === 'data') await data.push(chunk.toString('latin1', from, stop));
    else if (end < 0) data.carry = isEscaped(chunk, from, chunk.length, data.carry) ? '\\' : '';
    if (this.mode === 'data' && data.failed) this.undecodable();
    if (end < 0) return chunk.length;
    if (this.mode === 'data') {
      if (await data.end()) this.sink!.end();
      else this.undecodable();
    }
    this.keep(Buffer.from('"'));
    this.mode = 'json';
    return end + 1;
  }

  private undecodable(): void {
    this.sink!.fail('undecodable');
    this.mode = 'skip';
  }
}

/**
 * The data of a data URL, decoded as it arrives: JSON escapes undone (PHP's json_encode writes
 * every `/` as `\/`), whitespace skipped, `=` only at the end; anything else is undecodable.
 * The fast path is native: a chunk whose decoded length is exact held only the alphabet.
 */
export class Base64Stream {
  /** An escape (or a backslash run) cut by the chunk boundary, held for the next chunk. */
  carry = '';
  private b64Carry = '';
  private padded = false;
  failed = false;

  /** `json`: the data is inside a JSON string (escapes apply, raw control characters are malformed JSON). */
  constructor(
    private readonly out: (bytes: Buffer) => void | Promise<void>,
    private readonly json = true,
  ) {}

  /** Decodes the next raw characters (latin1). Throws MalformedJsonError on a raw control character in JSON. */
  async push(raw: string): Promise<void> {
    if (this.failed) return;
    let text = this.carry + raw;
    this.carry = '';
    if (this.json && text.includes('\\')) {
      // Hold back an escape cut by the chunk boundary.
      const tail = /\\(?:u[0-9A-Fa-f]{0,3})?$/.exec(text);
      if (tail && !escapedBackslashAt(text, tail.index)) {
        this.carry = tail[0];
        text = text.slice(0, tail.index);
      }
      // An invalid escape becomes NUL, which no base64 alphabet holds.
      text = text.replace(/\\(?:u([0-9A-Fa-f]{4})|(.))/gs, (_m, hex: string | undefined, char: string | undefined) =>
        hex !== undefined ? String.fromCharCode(Number.parseInt(hex, 16)) : (jsonEscapes[char!] ?? '\0'),
      );
    }
    const data = this.b64Carry + text;
    const whole = data.length - (data.length % 4);
    // Node also decodes base64url's `-` and `_`, which EspoCRM's decoder does not know.
    if (!this.padded && !data.includes('-') && !data.includes('_')) {
      // Fast path: the decoded length is exact only when every character was in the alphabet.
      const bytes = Buffer.from(data.slice(0, whole), 'base64');
      if (bytes.length * 4 === whole * 3) {
        this.b64Carry = data.slice(whole);
        if (bytes.length) await this.out(bytes);
        return;
      }
    }
    await this.slowly(raw, data);
  }

  /** The data ended: decodes what is left. False when the whole is undecodable. */
  async end(): Promise<boolean> {
    if (this.carry) await this.slowly(this.carry, `${this.b64Carry}\0`);
    if (this.failed) return false;
    // The fast path may leave trailing whitespace in the carry.
    const rest = this.b64Carry.replace(/[ \t\r\n]+/g, '');
    if (rest.length % 4 === 1) return !(this.failed = true);
    if (rest.length) await this.out(Buffer.from(rest, 'base64'));
    return true;
  }

  /** Whitespace, padding, or a character outside the alphabet somewhere in `data`. */
  private async slowly(raw: string, data: string): Promise<void> {
    // Raw control characters cannot appear in a JSON string at all.
    if (this.json && /[\x00-\x1f]/.test(raw)) throw new MalformedJsonError('control character in a string');
    const compact = data.replace(/[ \t\r\n]+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || (this.padded && /[^=]/.test(compact))) {
      this.failed = true;
      return;
    }
    if (compact.includes('=')) this.padded = true;
    const whole = compact.length - (compact.length % 4);
    this.b64Carry = compact.slice(whole);
    const bytes = Buffer.from(compact.slice(0, whole), 'base64');
    if (bytes.length) await this.out(bytes);
  }
}

/** Is the quote at `at` escaped (an odd run of backslashes before it, across the held-back carry)? */
function isEscaped(chunk: Buffer, from: number, at: number, carry: string): boolean {
  let run = 0;
  for (let i = at - 1; i >= from && chunk[i] === backslash; i--) run++;
  if (run === at - from) for (let i = carry.length - 1; i >= 0 && carry[i] === '\\'; i--) run++;
  return run % 2 === 1;
}

/** Does the trailing backslash of `bytes` belong to an escaped backslash pair? */
function escapedBackslash(bytes: number[]): boolean {
  let run = 0;
  for (let i = bytes.length - 1; i >= 0 && bytes[i] === backslash; i--) run++;
  return run % 2 === 0;
}

function escapedBackslashAt(text: string, index: number): boolean {
  let run = 0;
  for (let i = index - 1; i >= 0 && text[i] === '\\'; i--) run++;
  return run % 2 === 1;
}

function decodeJsonString(raw: Buffer): string {
  try {
    return JSON.parse(`"${raw.toString('utf8')}"`) as string;
  } catch {
    throw new MalformedJsonError('invalid string');
  }
}
