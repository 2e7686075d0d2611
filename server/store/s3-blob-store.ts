import { createHash, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { Readable, type Writable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CreateBucketCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  S3Client,
  S3ServiceException,
  type _Object,
  type MultipartUpload,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { assertBlobKey, blobMeter, BlobStoreUnavailableError, BlobTooLargeError, type BlobStore, type ByteRange, type StoredBlob, type SweepResult } from './blob-store.ts';

/**
 * Parts of a multipart upload: 5 MiB is S3's smallest; two in flight. lib-storage buffers at
 * most queueSize × partSize (plus the part being filled), so a blob of any size costs this
 * process about 15 MiB while it streams in.
 */
const partSize = 5 * 1024 * 1024;
const queueSize = 2;

export interface S3Location {
  bucket: string;
  /** Key prefix inside the bucket (a deployment may share a bucket). */
  prefix: string;
  endpoint?: string;
  region: string;
}

/**
 * `s3://BUCKET[/PREFIX]?endpoint=URL&region=REGION`. Credentials never travel in the URL: the
 * SDK reads AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (or its usual chain).
 */
export function parseS3Url(url: URL): S3Location {
  const bucket = url.hostname;
  if (!bucket) throw new Error('--blob-url s3:// needs a bucket: s3://BUCKET?endpoint=…&region=…');
  if (url.username || url.password) throw new Error('--blob-url must not carry credentials; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY');
  const prefix = decodeURIComponent(url.pathname.replace(/^\/+/, ''));
  return {
    bucket,
    prefix: prefix && !prefix.endsWith('/') ? `${prefix}/` : prefix,
    endpoint: url.searchParams.get('endpoint') ?? undefined,
    region: url.searchParams.get('region') ?? process.env.AWS_REGION ?? 'us-east-1',
  };
}

/**
 * File contents in an S3-compatible object store (AWS S3, OpenStack Swift's s3api, …), streamed
 * both ways: uploads through lib-storage's multipart upload (a PUT when small), downloads as
 * ranged GETs. A blob is the object `<prefix>o/<key>`. Objects carry no names or types (those live in the record store): a raw non-ASCII header
 * would break SigV4 signatures on some engines.
 */
export class S3BlobStore implements BlobStore {
  readonly location: string;
  private readonly client: S3Client;
  /** Sizes of blobs: they never change once written, so a download needs one HEAD per blob and process, not one per request. */
  private readonly fixedSizes = new Map<string, number>();

  private constructor(
    private readonly where: S3Location,
    env: NodeJS.ProcessEnv,
  ) {
    this.location = `s3://${where.bucket}/${where.prefix}${where.endpoint ? ` at ${where.endpoint}` : ''}`;
    // The SDK warns once per process that its releases after January 2027 need Node 22; this
    // version is pinned and runs on Node 20, so the warning would only alarm users of `serve`.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    const accessKeyId = env.AWS_ACCESS_KEY_ID;
    const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
    this.client = new S3Client({
      region: where.region,
      endpoint: where.endpoint,
      // Path-style (http://host/bucket/key): what Swift and most self-hosted engines serve.
      forcePathStyle: true,
      // Checksums only where S3 requires them: newer SDK defaults send CRC headers and trailers
      // that other engines refuse.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey, sessionToken: env.AWS_SESSION_TOKEN } : undefined,
      // A down object store must fail a request in seconds, not hang it.
      requestHandler: { connectionTimeout: 3000, requestTimeout: 60_000 },
      maxAttempts: 2,
    });
    // S3 accepts a CRC checksum on DeleteObjects; Swift's s3api (and older S3 engines) insist on
    // Content-MD5, which the SDK no longer sends. Added before signing, so it is signed too.
    this.client.middlewareStack.add(
      (next, context) => async (args) => {
        const request = args.request as { headers?: Record<string, string>; body?: unknown };
        if (context.commandName === 'DeleteObjectsCommand' && request.headers && (typeof request.body === 'string' || Buffer.isBuffer(request.body))) {
          request.headers['content-md5'] = createHash('md5').update(request.body).digest('base64');
        }
        return next(args);
      },
      { step: 'build', name: 'attachkitContentMd5' },
    );
  }

  /** Opens the store and creates its bucket when missing (several instances may race to). */
  static async open(where: S3Location, env: NodeJS.ProcessEnv = process.env): Promise<S3BlobStore> {
    const store = new S3BlobStore(where, env);
    await store.ensureBucket();
    return store;
  }

  private async ensureBucket(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.where.bucket }));
      return;
    } catch (error) {
      if (statusOf(error) !== 404) throw unavailable(error, `bucket ${this.where.bucket}`);
    }
    try {
      await this.client.send(new CreateBucketCommand({ Bucket: this.where.bucket }));
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name !== 'BucketAlreadyOwnedByYou' && name !== 'BucketAlreadyExists') throw unavailable(error, `creating bucket ${this.where.bucket}`);
    }
  }

  private objectKey(key: string): string {
    assertBlobKey(key);
    return `${this.where.prefix}o/${key}`;
  }

  async write(source: Readable | Buffer, options: { limit?: number } = {}): Promise<StoredBlob> {
    const key = randomUUID();
    const { meter, stored } = blobMeter(options.limit);
    const input = Buffer.isBuffer(source) ? Readable.from([source]) : source;
    input.on('error', (error) => meter.destroy(error));
    input.pipe(meter);
    const upload = new Upload({
      client: this.client,
      params: {
        Bucket: this.where.bucket,
        Key: this.objectKey(key),
        Body: meter,
        ContentType: 'application/octet-stream',
      },
      partSize,
      queueSize,
      leavePartsOnError: false,
    });
    try {
      // Resolves once the PUT or CompleteMultipartUpload is acknowledged: the object is durable.
      await upload.done();
    } catch (error) {
      // As a failed pipeline does: the source is destroyed, so whoever feeds it stops waiting.
      input.unpipe(meter);
      meter.destroy();
      input.destroy();
      if (error instanceof BlobTooLargeError) throw error;
      throw unavailable(error, 'storing a blob');
    }
    const blob = stored(key);
    this.remember(key, blob.size);
    return blob;
  }

  async sizeOf(key: string): Promise<number> {
    const known = this.fixedSizes.get(key);
    if (known !== undefined) return known;
    let head;
    try {
      head = await this.client.send(new HeadObjectCommand({ Bucket: this.where.bucket, Key: this.objectKey(key) }));
    } catch (error) {
      if (statusOf(error) === 404) throw Object.assign(new Error(`blob ${key} does not exist`), { code: 'ENOENT' });
      throw unavailable(error, `reading blob ${key}`);
    }
    const size = Number(head.ContentLength ?? 0);
    this.remember(key, size);
    return size;
  }

  private remember(key: string, size: number): void {
    if (this.fixedSizes.size >= 10_000) this.fixedSizes.delete(this.fixedSizes.keys().next().value!);
    this.fixedSizes.set(key, size);
  }

  async createReadStream(key: string, range?: ByteRange): Promise<Readable> {
    // The size first: a missing blob is ENOENT here (a 404 of the HEAD), as on the file store.
    const size = await this.sizeOf(key);
    return this.getRange(this.objectKey(key), range?.start ?? 0, range?.end ?? size - 1);
  }

  private async getRange(objectKey: string, start: number, end: number): Promise<Readable> {
    if (end < start) return Readable.from([]);
    try {
      const response = await this.client.send(new GetObjectCommand({ Bucket: this.where.bucket, Key: objectKey, Range: `bytes=${start}-${end}` }));
      return response.Body as Readable;
    } catch (error) {
      throw unavailable(error, 'reading a blob');
    }
  }

  async copyTo(key: string, range: ByteRange, destination: Writable): Promise<void> {
    if (range.end < range.start) return;
    const source = await this.createReadStream(key, range);
    // Every listener this adds to the destination is removed before it returns: a keep-alive
    // connection serves many downloads (and sendStoredFile calls this once per part of a file).
    const done = new AbortController();
    let onClose = () => {};
    const closed = new Promise<never>((_, reject) => {
      onClose = () => reject(new Error('the connection closed before the whole file was sent'));
      destination.once('close', onClose);
    });
    closed.catch(() => undefined);
    try {
      for await (const chunk of source) {
        if (destination.destroyed) throw new Error('the connection closed before the whole file was sent');
        if (!destination.write(chunk)) await Promise.race([once(destination, 'drain', { signal: done.signal }), closed]);
      }
    } finally {
      done.abort();
      destination.off('close', onClose);
      source.destroy();
    }
  }

  async pendingBytes(): Promise<number> {
    let total = 0;
    for (const upload of await this.unfinishedUploads()) {
      let marker: string | undefined;
      do {
        const page = await this.client.send(
          new ListPartsCommand({ Bucket: this.where.bucket, Key: upload.Key, UploadId: upload.UploadId, PartNumberMarker: marker }),
        );
        for (const part of page.Parts ?? []) total += Number(part.Size ?? 0);
        marker = page.IsTruncated ? page.NextPartNumberMarker : undefined;
      } while (marker);
    }
    return total;
  }

  private async unfinishedUploads(): Promise<MultipartUpload[]> {
    const uploads: MultipartUpload[] = [];
    let keyMarker: string | undefined;
    let uploadIdMarker: string | undefined;
    try {
      do {
        const page = await this.client.send(
          new ListMultipartUploadsCommand({ Bucket: this.where.bucket, Prefix: `${this.where.prefix}o/`, KeyMarker: keyMarker, UploadIdMarker: uploadIdMarker }),
        );
        uploads.push(...(page.Uploads ?? []));
        keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
        uploadIdMarker = page.IsTruncated ? page.NextUploadIdMarker : undefined;
      } while (keyMarker);
    } catch (error) {
      throw unavailable(error, 'listing unfinished uploads');
    }
    return uploads;
  }

  async *list(): AsyncIterable<string> {
    for (const object of await this.listAll(`${this.where.prefix}o/`)) yield this.blobKeyOf(object);
  }

  async remove(key: string): Promise<void> {
    this.fixedSizes.delete(key);
    await this.deleteKeys([this.objectKey(key)]);
  }

  private blobKeyOf(object: _Object): string {
    return object.Key!.slice(`${this.where.prefix}o/`.length);
  }

  async sweep(isReferenced: (keys: string[]) => Promise<Set<string>>, olderThan: Date): Promise<SweepResult> {
    // Interrupted multipart uploads (a process killed mid-upload) hold parts nobody sees.
    let temp = 0;
    for (const upload of await this.unfinishedUploads()) {
      if (!upload.Initiated || upload.Initiated >= olderThan) continue;
      await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.where.bucket, Key: upload.Key, UploadId: upload.UploadId }));
      temp++;
    }

    const objects = await this.listAll(`${this.where.prefix}o/`);
    let orphans = 0;
    for (let i = 0; i < objects.length; i += 500) {
      const batch = objects.slice(i, i + 500);
      const referenced = await isReferenced(batch.map((o) => this.blobKeyOf(o)));
      const unclaimed = batch.filter((o) => !referenced.has(this.blobKeyOf(o)) && o.LastModified !== undefined && o.LastModified < olderThan);
      await this.deleteKeys(unclaimed.map((o) => o.Key!));
      orphans += unclaimed.length;
    }
    return { temp, orphans };
  }

  private async listAll(prefix: string): Promise<_Object[]> {
    const objects: _Object[] = [];
    let token: string | undefined;
    try {
      do {
        const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.where.bucket, Prefix: prefix, ContinuationToken: token }));
        objects.push(...(page.Contents ?? []));
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    } catch (error) {
      throw unavailable(error, 'listing blobs');
    }
    return objects;
  }

  private async deleteKeys(keys: string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += 1000) {
      const batch = keys.slice(i, i + 1000);
      if (!batch.length) continue;
      try {
        // Quiet: only failures come back; a missing key is not one.
        const result = await this.client.send(
          new DeleteObjectsCommand({ Bucket: this.where.bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }),
        );
        const failed = (result.Errors ?? []).filter((e) => e.Code !== 'NoSuchKey');
        if (failed.length) throw new Error(`could not delete ${failed.length} object(s): ${failed[0].Code} ${failed[0].Message}`);
      } catch (error) {
        throw unavailable(error, 'removing blobs');
      }
    }
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}

function statusOf(error: unknown): number | undefined {
  return error instanceof S3ServiceException ? error.$metadata.httpStatusCode : (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
}

/** Errors of the object store, wrapped so the API answers "unavailable" rather than a crash. */
function unavailable(error: unknown, doing: string): Error {
  if (error instanceof BlobStoreUnavailableError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new BlobStoreUnavailableError(`object store: ${doing}: ${message}`, { cause: error });
}
