import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';
import { apis, rootDir } from '../registry.ts';

const run = promisify(execFile);

test('every contract lints with zero errors (npm run lint:spec)', async () => {
  const { stdout, stderr } = await run(process.execPath, [path.join(rootDir, 'node_modules/@redocly/cli/bin/cli.js'), 'lint', '--config', 'redocly.yaml', ...apis.map((api) => api.spec)], {
    cwd: rootDir,
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
  });
  const output = `${stdout}${stderr}`;
  // Redocly exits non-zero on any error, which rejects `run`; the text confirms every API was read.
  expect(output).toMatch(/Your API descriptions? (is|are) valid/);
  for (const api of apis) expect(output).toContain(`${api.spec}: validated`);
});

test('the project type-checks (tsc -p .)', async () => {
  await expect(run(process.execPath, [path.join(rootDir, 'node_modules/typescript/bin/tsc'), '-p', '.'], { cwd: rootDir })).resolves.toBeDefined();
});
