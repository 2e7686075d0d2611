import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';
import { rootDir } from '../registry.ts';

const run = promisify(execFile);

test('every contract lints with zero errors (npm run lint:spec)', async () => {
  const { stdout, stderr } = await run(process.execPath, [path.join(rootDir, 'node_modules/@redocly/cli/bin/cli.js'), 'lint', '--config', 'redocly.yaml'], {
    cwd: rootDir,
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
  });
  expect(`${stdout}${stderr}`).toContain('Your API description is valid');
  expect(`${stdout}${stderr}`).not.toMatch(/\d+ errors?\b/);
});

test('the project type-checks (tsc -p .)', async () => {
  await expect(run(process.execPath, [path.join(rootDir, 'node_modules/typescript/bin/tsc'), '-p', '.'], { cwd: rootDir })).resolves.toBeDefined();
});
