import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { expect, onTestFinished, test } from 'vitest';
import { apis, rootDir } from '../../registry.ts';
import { runCli } from '../support/run-cli.ts';

test('attachkit --version prints the package version', async () => {
  const result = await runCli(['--version']);
  expect(result.stdout.trim()).toBe(JSON.parse(fs.readFileSync(path.join(rootDir, 'package.json'), 'utf8')).version);
  expect(result.code).toBe(0);
});

test.each(apis.map((api) => [api.id, api.basePath]))('conformance %s refuses a --base-url that carries the API base path %s, in one line', async (id, basePath) => {
  const result = await runCli(['conformance', id, '--base-url', `http://127.0.0.1:9/crm${basePath}/`]);
  expect(result.code).toBe(2);
  expect(result.stderr.trim()).toBe(`attachkit conformance: --base-url is the site root, without the API's base path ${basePath}: use http://127.0.0.1:9/crm`);
});

test('mock on a port that is taken prints one line and exits 2', async () => {
  const taken = net.createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => taken.close(() => resolve())));
  const { port } = taken.address() as net.AddressInfo;
  const result = await runCli(['mock', apis[0].id, '--port', String(port)]);
  expect(result.code).toBe(2);
  expect(result.stderr.trim()).toBe(`attachkit mock: port ${port} is already in use (try --port)`);
});

test('serve refuses a --cors-origin that is not an origin', async () => {
  const result = await runCli(['serve', '--in-memory', '--port', '0', '--cors-origin', 'https://app.example.com/path']);
  expect(result.code).toBe(2);
  expect(result.stderr.trim()).toBe("attachkit serve: --cors-origin: 'https://app.example.com/path' is not an origin (scheme://host[:port], no path)");
});
