import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import ts from 'typescript';
import { onTestFinished } from 'vitest';
import { rootDir } from '../../registry.ts';

/**
 * A static web app on its own origin, as a frontend team's dev server would serve it: `page` at
 * `/`, and the repository's test/ and generated/ TypeScript modules transpiled to JavaScript on
 * request (`.js` specifiers fall back to the `.ts` source, as the generated SDK imports them), so
 * the page imports the generated SDK as it is. Closed when the test ends.
 */
export async function pageServerForTest(page: string): Promise<string> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://page.invalid');
    if (url.pathname === '/') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(page);
      return;
    }
    const relative = path.normalize(decodeURIComponent(url.pathname)).replace(/^\/+/, '');
    let file = path.join(rootDir, relative);
    if (!/^(test|generated)\//.test(relative) || !file.startsWith(rootDir)) {
      res.writeHead(404).end();
      return;
    }
    if (!fs.existsSync(file) && file.endsWith('.js')) file = `${file.slice(0, -3)}.ts`;
    if (!file.endsWith('.ts') || !fs.existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    const { outputText } = ts.transpileModule(fs.readFileSync(file, 'utf8'), {
      fileName: file,
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
    });
    res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8' }).end(outputText);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
