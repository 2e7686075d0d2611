import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, onTestFinished, test } from 'vitest';
import { freshDatabase, loadBalancer, psql, sharedEngines } from './support/engines.ts';

// The engines the scale-out tests stand on, checked on their own so that a broken set-up is
// reported as such, not as a store bug.

test('the shared PostgreSQL answers, and each fresh database is empty and separate', async () => {
  const a = await freshDatabase();
  const b = await freshDatabase();
  expect(a).not.toBe(b);
  await psql(a, 'CREATE TABLE marker (id int)');
  expect(await psql(a, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'marker'")).toBe('1');
  expect(await psql(b, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'marker'")).toBe('0');
  expect(await psql(a, 'SHOW server_version')).toMatch(/^\d+\.\d+/);
});

test('the shared Swift proxy is healthy and speaks S3 (an unsigned request is refused in S3 XML)', async () => {
  const { s3 } = await sharedEngines();
  const health = await fetch(`${s3.endpoint}/healthcheck`);
  expect(`${health.status} ${await health.text()}`).toBe('200 OK');
  const anonymous = await fetch(`${s3.endpoint}/some-bucket/some-key`, { headers: { Authorization: 'AWS4-HMAC-SHA256 Credential=nobody/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00' } });
  expect(anonymous.status).toBe(403);
  expect(await anonymous.text()).toMatch(/<Code>(InvalidAccessKeyId|AccessDenied|SignatureDoesNotMatch)<\/Code>/);
});

test('nginx balances round-robin over its upstreams and streams a large body through', async () => {
  const upstreams = await Promise.all(
    ['a', 'b'].map(
      (name) =>
        new Promise<string>((resolve) => {
          const server = http.createServer((req, res) => {
            let size = 0;
            req.on('data', (chunk: Buffer) => (size += chunk.length));
            req.on('end', () => res.end(`${name}:${size}`));
          });
          server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
          onTestFinished(() => void server.close());
        }),
    ),
  );
  const balancer = await loadBalancer(upstreams);
  onTestFinished(() => balancer.stop());
  const seen: string[] = [];
  for (let i = 0; i < 4; i++) seen.push(await (await fetch(`${balancer.url}/x`, { method: 'POST', body: new Uint8Array(3 * 1024 * 1024) })).text());
  expect(seen.map((s) => s.split(':')[1])).toEqual(Array(4).fill(String(3 * 1024 * 1024)));
  expect(new Set(seen.map((s) => s.split(':')[0]))).toEqual(new Set(['a', 'b']));
});
