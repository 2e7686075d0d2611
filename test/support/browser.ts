import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium, type Browser } from 'playwright-core';
import { rootDir } from '../../registry.ts';

/**
 * Headless Chromium for the browser tests, with the flags these machines need (no sandbox as
 * root; no background networking on a closed network).
 *
 * Which Chromium: $CHROMIUM_PATH when set (CI points it at Debian's /usr/bin/chromium), else the
 * one that `npm install` brought: @sparticuz/chromium ships a Chromium build inside its npm
 * package (brotli-compressed). It is unpacked once into node_modules/.cache, with the SwiftShader
 * libraries it loads beside it and its fonts, so `npm install && npm test` needs nothing from apt.
 * (The package's own executablePath() unpacks into /tmp, shared by every version, and its launch
 * flags turn web security off, which would hide exactly what the CORS test checks.)
 */
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

interface Executable {
  path: string;
  env: Record<string, string>;
}

function packageRoot(entry: string): string {
  let dir = path.dirname(entry);
  while (!fs.existsSync(path.join(dir, 'package.json')) || !JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).name) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${entry}`);
    dir = up;
  }
  return dir;
}

function untar(archive: Buffer, into: string): void {
  fs.mkdirSync(into, { recursive: true });
  const result = spawnSync('tar', ['-x', '-C', into], { input: archive });
  if (result.status !== 0) throw new Error(`tar failed: ${result.stderr.toString()}`);
}

/** Unpacks the npm-shipped Chromium once; concurrent test files race to a rename, the loser discards its copy. */
function unpackedNpmChromium(): Executable {
  const pkgDir = packageRoot(createRequire(import.meta.url).resolve('@sparticuz/chromium'));
  const { version } = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as { version: string };
  const target = path.join(rootDir, 'node_modules', '.cache', 'attachkit-chromium', version);
  const executable = { path: path.join(target, 'chromium'), env: { FONTCONFIG_FILE: path.join(target, 'fonts.conf') } };
  if (fs.existsSync(executable.path)) return executable;

  const bin = path.join(pkgDir, 'bin');
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const staging = fs.mkdtempSync(`${target}.unpacking-`);
  try {
    fs.writeFileSync(path.join(staging, 'chromium'), zlib.brotliDecompressSync(fs.readFileSync(path.join(bin, 'chromium.br'))), { mode: 0o755 });
    untar(zlib.brotliDecompressSync(fs.readFileSync(path.join(bin, 'swiftshader.tar.br'))), staging);
    untar(zlib.brotliDecompressSync(fs.readFileSync(path.join(bin, 'fonts.tar.br'))), path.join(staging, 'fonts-pack'));
    fs.writeFileSync(
      path.join(staging, 'fonts.conf'),
      `<?xml version="1.0"?>\n<fontconfig>\n  <dir>${path.join(target, 'fonts-pack', 'fonts')}</dir>\n  <dir>/usr/share/fonts</dir>\n  <cachedir>${path.join(target, 'fonts-cache')}</cachedir>\n</fontconfig>\n`,
    );
    try {
      fs.renameSync(staging, target);
    } catch (error) {
      if (!fs.existsSync(executable.path)) throw error;
    }
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  return executable;
}

export function chromiumExecutable(): Executable {
  const configured = process.env.CHROMIUM_PATH;
  return configured ? { path: configured, env: {} } : unpackedNpmChromium();
}

export async function launchChromium(): Promise<Browser> {
  const executable = chromiumExecutable();
  return chromium.launch({ executablePath: executable.path, args: chromiumArgs, env: { ...process.env, ...executable.env } as Record<string, string> });
}
