import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { apis, rootDir } from '../../registry.ts';
import { freePort } from '../support/free-port.ts';
import { run, startUntil } from '../support/processes.ts';

/**
 * The package as a user gets it: `npm pack` (which builds dist/), then `npm install <tarball>` in
 * a fresh folder, and the CLI run there through npx. The only shortcut: better-sqlite3's native
 * addon comes from a local prebuild (prebuild-install's documented `local_prebuilds` option,
 * made from this clone's build) instead of two minutes of compiling.
 */
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'attachkit-package-'));
const app = path.join(work, 'app');
const version = JSON.parse(fs.readFileSync(path.join(rootDir, 'package.json'), 'utf8')).version as string;
let tarball = '';
let installed = '';

function localPrebuild(): Record<string, string> {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve('better-sqlite3/package.json');
  const pkg = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name: string; version: string };
  const dir = path.join(work, 'prebuilds');
  fs.mkdirSync(dir, { recursive: true });
  const name = `${pkg.name}-v${pkg.version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  const packed = path.join(dir, name);
  return { packed, from: path.dirname(manifest), env: `npm_config_${pkg.name.replace(/[^a-zA-Z0-9]/g, '_')}_local_prebuilds`, dir };
}

const npx = (args: string[], timeoutMs = 120_000) => run('npx', ['--no', '--', 'attachkit', ...args], { cwd: app, timeoutMs });

beforeAll(async () => {
  const pack = await run('npm', ['pack', '--silent', '--pack-destination', work], { cwd: rootDir, timeoutMs: 240_000 });
  expect(pack.code, pack.stderr).toBe(0);
  tarball = path.join(work, pack.stdout.trim().split('\n').pop()!);

  const prebuild = localPrebuild();
  const tar = await run('tar', ['-czf', prebuild.packed, 'build/Release/better_sqlite3.node'], { cwd: prebuild.from });
  expect(tar.code, tar.stderr).toBe(0);

  fs.mkdirSync(app);
  fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'attachkit-user', private: true, type: 'module' }));
  const install = await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], {
    cwd: app,
    // The local prebuild, even where the caller asked npm to build addons from source (.ci/test-on-node.sh).
    env: { [prebuild.env]: prebuild.dir, npm_config_build_from_source: 'false' },
    timeoutMs: 480_000,
  });
  expect(install.code, install.stderr).toBe(0);
  installed = path.join(app, 'node_modules', 'attachkit');
}, 600_000);

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('the packed tarball', () => {
  test('ships compiled JavaScript with declarations, the contracts and the CLI, and nothing of test/, bench/ or .ci/', async () => {
    const list = await run('tar', ['-tzf', tarball], { cwd: work });
    const files = list.stdout.trim().split('\n').map((f) => f.replace(/^package\//, ''));
    expect(files.filter((f) => /^(test|bench|\.ci)\//.test(f))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    expect(files).toEqual(expect.arrayContaining(['bin/attachkit.js', 'dist/index.js', 'dist/index.d.ts', 'dist/registry.d.ts', 'package.json', 'README.md']));
    for (const api of apis) expect(files).toEqual(expect.arrayContaining([api.spec, `dist/${api.generated}/index.js`, `dist/${api.generated}/index.d.ts`]));
    const manifest = JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8'));
    expect(manifest.private).toBeUndefined();
  });

  test('npx attachkit --version prints the version', async () => {
    const result = await npx(['--version']);
    expect(result.stdout.trim()).toBe(version);
    expect(result.code).toBe(0);
  });

  test('npx attachkit serve answers every API, passes conformance run from the same folder, and stops on SIGTERM to npx', async () => {
    const serve = await startUntil('npx', ['--no', '--', 'attachkit', 'serve', '--in-memory', '--port', '0'], /reference server on (http:\/\/\S+)/, { cwd: app });
    const url = serve.match;
    for (const api of apis) {
      const result = await npx(['conformance', api.id, '--base-url', url, '--negative-limit', '2'], 300_000);
      expect(result.stderr).toMatch(/scenarios passed, 0 of \d+ checks failed/);
      expect(result.code, result.stderr.slice(-3000)).toBe(0);
    }
    // A process manager stops the npx process, not the node process npm started under a shell.
    process.kill(serve.child.pid!, 'SIGTERM');
    await serve.exited;
    await expect.poll(() => fetch(url).then(() => 'answering', () => 'port released'), { timeout: 10_000 }).toBe('port released');
  }, 900_000);

  test('npx attachkit mock serves a contract, and on a busy port prints one line and exits 2', async () => {
    const api = apis[0];
    const port = await freePort();
    const mock = await startUntil('npx', ['--no', '--', 'attachkit', 'mock', api.id, '--port', String(port)], /Prism mock of .*: (http:\/\/\S+)/, { cwd: app });
    expect(mock.match).toBe(`http://127.0.0.1:${port}${api.basePath}`);
    const busy = await npx(['mock', api.id, '--port', String(port)]);
    expect(busy.code).toBe(2);
    // npm's own warnings (e.g. about npm_config_* it does not know) are not the CLI's output.
    expect(busy.stderr.trim().split('\n').filter((line) => !line.startsWith('npm warn'))).toEqual([`attachkit mock: port ${port} is already in use (try --port)`]);
    process.kill(mock.child.pid!, 'SIGINT');
    await mock.exited;
    await expect.poll(() => fetch(`http://127.0.0.1:${port}/`).then(() => 'answering', () => 'port released'), { timeout: 10_000 }).toBe('port released');
  }, 300_000);

  test("the README's SDK and embedding examples type-check against the installed package's declarations", async () => {
    const readme = fs.readFileSync(path.join(rootDir, 'README.md'), 'utf8');
    const sections = readme.split(/\n## /).filter((section) => /^(The typed SDKs|Embedding)/.test(section));
    const blocks = sections.flatMap((section) => [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]));
    expect(blocks.length).toBe(apis.length + 1);
    // What the examples take as given: a File from the page, and some base64 helper.
    const given = 'declare const file: File;\ndeclare function toBase64(bytes: Uint8Array): string;\nexport {};\n';
    blocks.forEach((code, i) => fs.writeFileSync(path.join(app, `readme-${i}.ts`), given + code));
    const require = createRequire(import.meta.url);
    fs.writeFileSync(
      path.join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', target: 'es2023', lib: ['es2023', 'dom'], strict: true, noEmit: true, skipLibCheck: false, typeRoots: [path.join(rootDir, 'node_modules', '@types')], types: ['node'] },
        include: ['readme-*.ts'],
      }),
    );
    const tsc = await run(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', app], { cwd: app, timeoutMs: 120_000 });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.code).toBe(0);
  });

  test('the programmatic API: createServer listens where the caller says and closes; runConformance resolves to the report', async () => {
    const script = path.join(app, 'embed.mjs');
    fs.writeFileSync(
      script,
      `import { createServer, runConformance, apis, UsageError } from 'attachkit';
const server = await createServer({ apis: [apis[0].id] });
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const baseUrl = 'http://127.0.0.1:' + server.address().port;
const listing = await (await fetch(baseUrl + '/')).json();
const report = await runConformance(apis[0].id, { baseUrl, negativeLimit: 1 });
const refusal = await runConformance(apis[0].id, { baseUrl: baseUrl + apis[0].basePath }).catch((error) => error);
await new Promise((resolve) => server.close(resolve));
console.log(JSON.stringify({ apis: listing.apis.map((a) => a.id), api: report.api, verdict: report.summary.verdict, scenarios: report.summary.scenarios, refusal: refusal instanceof UsageError ? refusal.message : String(refusal) }));`,
    );
    const result = await run(process.execPath, [script], { cwd: app, timeoutMs: 300_000 });
    expect(result.stderr).toBe('');
    const out = JSON.parse(result.stdout);
    expect(out).toMatchObject({ apis: [apis[0].id], api: apis[0].id, verdict: 'pass' });
    expect(out.scenarios).toBeGreaterThan(5);
    expect(out.refusal).toMatch(/^--base-url is the site root/);
    expect(result.code).toBe(0);
  }, 300_000);
});
