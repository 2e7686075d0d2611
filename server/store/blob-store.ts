import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface StoredBlob {
  key: string;
  size: number;
  sha256: string;
}

/** Buffer size of file streams in and out of the store. */
const streamChunk = 1024 * 1024;

export class BlobTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`blob exceeds ${limit} bytes`);
  }
}

/**
 * File contents live as plain files; records point at them by key. A write goes to `tmp/`, is
 * fsynced and renamed into `files/` before the caller commits the record, so an acknowledged
 * upload is on disk and an interrupted one leaves only a temp file or an unreferenced file,
 * both removed by `sweep` at start.
 */
export class BlobStore {
  readonly filesDir: string;
  readonly tmpDir: string;

  constructor(readonly root: string) {
    this.filesDir = path.join(root, 'files');
    this.tmpDir = path.join(root, 'tmp');
    fs.mkdirSync(this.filesDir, { recursive: true });
    fs.mkdirSync(this.tmpDir, { recursive: true });
  }

  /** Keys are generated here, never taken from user input, so no name ever becomes a path. */
  pathOf(key: string): string {
    if (!/^[a-z0-9-]+$/.test(key)) throw new Error(`invalid blob key ${key}`);
    return path.join(this.filesDir, key);
  }

  async write(source: Readable | Buffer, options: { limit?: number } = {}): Promise<StoredBlob> {
    const key = randomUUID();
    const tmp = path.join(this.tmpDir, `${key}.part`);
    const hash = createHash('sha256');
    let size = 0;
    const limit = options.limit ?? Number.POSITIVE_INFINITY;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        if (size > limit) return done(new BlobTooLargeError(limit));
        hash.update(chunk);
        done(null, chunk);
      },
    });
    const input = Buffer.isBuffer(source) ? Readable.from([source]) : source;
    try {
      // `flush` fsyncs the descriptor before it closes, so the bytes are durable once this resolves.
      // A 1 MiB buffer (default 16 KiB) lets the next network chunks arrive while a disk write is
      // in flight instead of pausing the upload on every write (npm run bench: 1 GiB multipart).
      await pipeline(input, meter, fs.createWriteStream(tmp, { flags: 'wx', flush: true, highWaterMark: streamChunk }));
      await fsp.rename(tmp, this.pathOf(key));
      await syncDir(this.filesDir);
    } catch (error) {
      await fsp.rm(tmp, { force: true });
      throw error;
    }
    return { key, size, sha256: hash.digest('hex') };
  }

  /** Appends to an existing blob (chunked uploads), fsynced before returning. */
  async append(key: string, chunk: Buffer): Promise<number> {
    const handle = await fsp.open(this.pathOf(key), 'a');
    try {
      await handle.write(chunk);
      await handle.sync();
      return (await handle.stat()).size;
    } finally {
      await handle.close();
    }
  }

  async sizeOf(key: string): Promise<number> {
    return (await fsp.stat(this.pathOf(key))).size;
  }

  createReadStream(key: string, range?: { start: number; end: number }): fs.ReadStream {
    // 1 MiB reads (default 64 KiB): 16× fewer reads and allocations per file (npm run bench: 1 GiB download).
    return fs.createReadStream(this.pathOf(key), { ...range, highWaterMark: streamChunk });
  }

  async readAll(key: string): Promise<Buffer> {
    return fsp.readFile(this.pathOf(key));
  }

  async remove(key: string): Promise<void> {
    await fsp.rm(this.pathOf(key), { force: true });
  }

  /** Removes temp files and files no record references. Returns what was removed. */
  async sweep(referenced: Set<string>): Promise<{ temp: number; orphans: number }> {
    let temp = 0;
    for (const name of await fsp.readdir(this.tmpDir)) {
      await fsp.rm(path.join(this.tmpDir, name), { force: true, recursive: true });
      temp++;
    }
    let orphans = 0;
    for (const name of await fsp.readdir(this.filesDir)) {
      if (!referenced.has(name)) {
        await fsp.rm(path.join(this.filesDir, name), { force: true, recursive: true });
        orphans++;
      }
    }
    return { temp, orphans };
  }
}

async function syncDir(dir: string): Promise<void> {
  const handle = await fsp.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
