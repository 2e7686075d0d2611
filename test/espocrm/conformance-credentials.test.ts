import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { serverForTest, tempDirForTest } from '../support/scoped.ts';
import { failedLines, runCli } from '../support/run-cli.ts';

const hmac = 'HMAC authentication (X-Hmac-Authorization) is accepted, and refused with the wrong secret';
const otherUser = "Another user's attachments and records are out of reach of the (non-admin) API user";
const adminList = 'GET Attachment is for administrators only (Controllers/Attachment.php)';
const key = ['--api-key', 'espocrm-dev-key'];
// An EspoCRM API user has one auth method, so HMAC is another user: its key and the secret.
const hmacUser = ['--hmac-api-key', 'espocrm-dev-hmac-key', '--secret-key', 'espocrm-dev-secret'];
const basic = ['--username', 'admin', '--password', 'espocrm-dev-password'];

// Each partial set of credentials an integrator may hold: the run passes, and the scenarios that
// need what was not given are named as not run, with the options that would enable them.
const sets: Array<[string, string[], Record<string, string>]> = [
  [
    '--api-key alone (the usual integration)',
    key,
    { [hmac]: 'needs --hmac-api-key with --secret-key', [otherUser]: 'needs --username with --password', [adminList]: 'needs --username with --password' },
  ],
  ['--hmac-api-key with --secret-key', hmacUser, { [otherUser]: 'needs --api-key and --username with --password', [adminList]: 'needs --api-key and --username with --password' }],
  ['--username with --password', basic, { [hmac]: 'needs --hmac-api-key with --secret-key', [otherUser]: 'needs --api-key', [adminList]: 'needs --api-key' }],
  ['--api-key and Basic, no secret', [...key, ...basic], { [hmac]: 'needs --hmac-api-key with --secret-key' }],
];

for (const [label, credentials, notRun] of sets) {
  test(`${label}: exit 0, the scenarios it cannot run named as not run`, async () => {
    const server = await serverForTest({ apis: ['espocrm'] });
    const dir = tempDirForTest('attachkit-credentials-');
    const run = await runCli(['conformance', 'espocrm', '--base-url', server.url, ...credentials, '--negative-limit', '0', '--report-dir', dir]);
    expect(run.stderr).not.toContain('No test suite found');
    expect(run.code, failedLines(run.stderr)).toBe(0);
    for (const [name, needs] of Object.entries(notRun)) expect(run.stderr).toContain(`  - ${name}  (not run: ${needs})`);
    const report = JSON.parse(fs.readFileSync(path.join(dir, 'report.json'), 'utf8'));
    expect(Object.fromEntries(report.notRun.map((n: { name: string; needs: string }) => [n.name, n.needs]))).toEqual(notRun);
    expect(report.scenarios.map((s: { name: string }) => s.name)).not.toEqual(expect.arrayContaining(Object.keys(notRun)));
    // JUnit names them as skipped, not passed.
    const junit = fs.readFileSync(path.join(dir, 'junit.xml'), 'utf8');
    expect(junit).toMatch(/<testsuites[^>]*failures="0"/);
    expect(junit.match(/<skipped\/>/g)).toHaveLength(Object.keys(notRun).length);
  });
}
