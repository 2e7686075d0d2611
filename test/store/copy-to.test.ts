import { randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { expect, test } from 'vitest';
import { serverForTest } from '../support/scoped.ts';

// BlobStore.copyTo writes into a download's connection, which a keep-alive client reuses for many
// downloads (and sendStoredFile calls copyTo once per part of a file): whatever it adds to the
// connection must be gone when it returns, whether it succeeded or failed. Runs on the embedded
// store's files and, in the shared-store project, on S3.
test('copyTo leaves no listener on the destination, after a copy or after a failed one', async () => {
  const { store } = await serverForTest();
  const blob = await store.blobs.write(Buffer.from('twelve bytes'));
  const destination = new PassThrough();
  const received: Buffer[] = [];
  destination.on('data', (piece: Buffer) => received.push(piece));
  const before = destination.eventNames().map((name) => `${String(name)} ${destination.listenerCount(name)}`);

  for (let i = 0; i < 12; i++) await store.blobs.copyTo(blob.key, { start: 0, end: blob.size - 1 }, destination);
  expect(Buffer.concat(received).toString()).toBe('twelve bytes'.repeat(12));
  await expect(store.blobs.copyTo(randomUUID(), { start: 0, end: 3 }, destination)).rejects.toThrow();

  expect(destination.eventNames().map((name) => `${String(name)} ${destination.listenerCount(name)}`)).toEqual(before);
});
