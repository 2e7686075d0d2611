import { PassThrough } from 'node:stream';
import type { NextFunction, Request, Response } from 'express';
import { parserStream } from 'stream-json';
import { BlobTooLargeError, type StoredBlob } from '../../store/blob-store.ts';
import { base64BodyLimit } from '../../kit/body-parsers.ts';
import { requestState, type ApiContext } from '../../kit/server-api.ts';
import { releaseUnclaimedOnClose } from '../../kit/unclaimed-blobs.ts';
import { espoDialect, espoErrors } from './errors.ts';

/** The `file` data URL of a POST Attachment, decoded while it arrives. */
export interface StreamedFile {
  blob?: StoredBlob;
  /** The part before the comma, e.g. `data:text/plain;base64`. */
  prefix?: string;
  /** CreateInputFilter's verdict on the contents, thrown by the handler in EspoCRM's order. */
  error?: Error;
  /** Settles when the bytes are on disk (or failed to be). */
  stored?: Promise<unknown>;
}

interface Token {
  name: string;
  value?: unknown;
}

const prefixLimit = 1024;

/**
 * POST Attachment carries the file as a base64 data URL inside JSON, up to the upload limit
 * (256 MB by default, so ~341 MB of JSON). Parsing that with express.json holds the raw body, the
 * JSON string and the decoded bytes at once. Here the JSON is tokenised as it streams
 * (stream-json), the `file` string is base64-decoded chunk by chunk into the blob store, and only
 * the small attributes are kept: memory stays flat whatever the file size.
 *
 * req.body gets every attribute, with `file` reduced to its `<prefix>,` so the contract's
 * validation still sees a data URL; the stored bytes wait in res.locals.espoFile.
 */
export function streamAttachmentUpload(ctx: ApiContext) {
  const bodyLimit = base64BodyLimit(ctx.config.maxFileBytes);
  return async function parseAttachmentStreaming(req: Request, res: Response, next: NextFunction): Promise<void> {
    if (requestState(res).operation?.operationId !== 'createAttachment' || !req.is('application/json')) return next();
    const file: StreamedFile = {};
    res.locals.espoFile = file;
    const stored: Promise<unknown>[] = [];
    releaseUnclaimedOnClose(ctx, res, async () => {
      await Promise.allSettled(stored);
      return file.blob ? [file.blob.key] : [];
    });

    const tokens = parserStream({ packStrings: false, streamStrings: true, packKeys: true, streamKeys: false, packNumbers: true, streamNumbers: false });
    let received = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > bodyLimit && !tooLarge) {
        // Stop parsing (the loop below ends with an error) and drain the rest unread.
        tooLarge = true;
        req.unpipe(tokens);
        tokens.destroy(new Error('request body over the limit'));
        req.resume();
      }
    });

    const assembler = new Assembler();
    let decoder: FileDecoder | undefined;
    try {
      for await (const token of req.pipe(tokens) as unknown as AsyncIterable<Token>) {
        if (decoder) {
          if (token.name === 'stringChunk') await decoder.write(String(token.value));
          else if (token.name === 'endString') {
            await decoder.end();
            decoder = undefined;
            assembler.value(file.prefix === undefined ? '' : `${file.prefix},`);
          }
          continue;
        }
        if (token.name === 'startString' && assembler.atTopLevelKey('file')) {
          decoder = new FileDecoder(ctx, file, stored);
          continue;
        }
        assembler.consume(token);
      }
    } catch (error) {
      await decoder?.abort();
      if (tooLarge) return next(espoDialect.payloadTooLarge('body over the limit'));
      return next(espoDialect.invalidRequest('Malformed JSON body.'));
    }
    if (tooLarge) return next(espoDialect.payloadTooLarge('body over the limit'));
    const body = assembler.result();
    if (body === undefined || typeof body !== 'object' || Array.isArray(body) || body === null) return next(espoDialect.invalidRequest('Malformed JSON body.'));
    req.body = body;
    next();
  };
}

/** Builds the attribute map from tokens; strings arrive in chunks since strings are streamed. */
class Assembler {
  private readonly stack: Array<{ container: Record<string, unknown> | unknown[]; key?: string }> = [];
  private root: unknown;
  private text: string[] | undefined;

  atTopLevelKey(key: string): boolean {
    return this.stack.length === 1 && !Array.isArray(this.stack[0].container) && this.stack[0].key === key;
  }

  value(value: unknown): void {
    const top = this.stack.at(-1);
    if (!top) {
      this.root = value;
      return;
    }
    if (Array.isArray(top.container)) top.container.push(value);
    else if (top.key !== undefined) {
      top.container[top.key] = value;
      top.key = undefined;
    }
  }

  consume(token: Token): void {
    switch (token.name) {
      case 'startObject':
      case 'startArray': {
        const container = token.name === 'startObject' ? {} : [];
        this.value(container);
        this.stack.push({ container });
        break;
      }
      case 'endObject':
      case 'endArray':
        this.stack.pop();
        break;
      case 'keyValue':
        this.stack.at(-1)!.key = String(token.value);
        break;
      case 'startString':
        this.text = [];
        break;
      case 'stringChunk':
        this.text!.push(String(token.value));
        break;
      case 'endString':
        this.value(this.text!.join(''));
        this.text = undefined;
        break;
      case 'numberValue':
        this.value(Number(token.value));
        break;
      case 'nullValue':
        this.value(null);
        break;
      case 'trueValue':
        this.value(true);
        break;
      case 'falseValue':
        this.value(false);
        break;
    }
  }

  result(): unknown {
    return this.root;
  }
}

/**
 * Splits the data URL at its first comma (CreateInputFilter: explode(',')) and decodes the rest
 * as base64 in 4-character groups, straight into the blob store.
 */
class FileDecoder {
  private prefix = '';
  private inData = false;
  private carry = '';
  private stream?: PassThrough;

  constructor(
    private readonly ctx: ApiContext,
    private readonly file: StreamedFile,
    private readonly stored: Promise<unknown>[],
  ) {}

  async write(chunk: string): Promise<void> {
    if (this.file.error) return;
    let text = chunk;
    if (!this.inData) {
      const comma = text.indexOf(',');
      if (comma < 0) {
        this.prefix += text;
        if (this.prefix.length > prefixLimit) this.file.error = espoErrors.badFileContents();
        return;
      }
      this.prefix += text.slice(0, comma);
      this.file.prefix = this.prefix;
      this.inData = true;
      this.start();
      text = text.slice(comma + 1);
    }
    // PHP's decoder skips whitespace; a second comma or anything outside base64 is refused.
    const data = this.carry + text.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(data) || /=[^=]/.test(data)) {
      this.fail(espoErrors.couldNotDecode());
      return;
    }
    const whole = data.length - (data.length % 4);
    this.carry = data.slice(whole);
    if (whole > 0) await this.push(Buffer.from(data.slice(0, whole), 'base64'));
  }

  async end(): Promise<void> {
    if (!this.inData && !this.file.error) this.file.error = espoErrors.badFileContents();
    if (this.carry.length % 4 === 1 && !this.file.error) this.fail(espoErrors.couldNotDecode());
    else if (this.carry.length && !this.file.error) await this.push(Buffer.from(this.carry, 'base64'));
    this.stream?.end();
  }

  async abort(): Promise<void> {
    this.stream?.destroy();
  }

  private start(): void {
    this.stream = new PassThrough();
    const writing = this.ctx.store.blobs.write(this.stream, { limit: this.ctx.config.maxFileBytes }).then(
      (blob) => {
        this.file.blob = blob;
      },
      (error: unknown) => {
        this.file.error ??= error instanceof BlobTooLargeError ? espoErrors.sizeExceedsLimit() : (error as Error);
      },
    );
    this.stored.push(writing);
    this.file.stored = writing;
  }

  private fail(error: Error): void {
    this.file.error = error;
    this.stream?.destroy();
  }

  private async push(bytes: Buffer): Promise<void> {
    if (!this.stream || this.stream.destroyed) return;
    if (this.stream.write(bytes)) return;
    // Wait for room, or for the end of a refused blob (its verdict is already in file.error).
    const stream = this.stream;
    await new Promise<void>((resolve) => {
      const done = () => {
        stream.off('drain', done);
        stream.off('close', done);
        resolve();
      };
      stream.on('drain', done);
      stream.on('close', done);
    });
  }
}
