import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { freePort } from '../support/free-port.ts';
import { startPrism } from '../support/prism.ts';
import { startReferenceServer, type RunningServer } from '../support/reference-server.ts';
import { failedLines, runCli } from '../support/run-cli.ts';
import { tempDirForTest } from '../support/scoped.ts';

describe('attachkit conformance espocrm', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startReferenceServer({ apis: ['espocrm'] });
  });
  afterAll(() => server.close());

  test('passes against the reference server and writes junit.xml and report.json', async () => {
    const reportDir = tempDirForTest('attachkit-report-');
    const result = await runCli(['conformance', 'espocrm', '--base-url', server.url, '--report-dir', reportDir]);
    expect(result.stderr).toContain('scenarios passed, 0 of');
    expect(result.code, failedLines(result.stderr)).toBe(0);
    const report = JSON.parse(fs.readFileSync(path.join(reportDir, 'report.json'), 'utf8'));
    expect(report.summary.failedScenarios).toBe(0);
    expect(report.summary.scenarios).toBeGreaterThanOrEqual(20);
    expect(report.checks.map((c: { check: string }) => c.check)).toEqual(
      expect.arrayContaining(['status_code_documented', 'content_type_documented', 'response_schema_conformance', 'required_headers_present', 'auth_required', 'bad_input_refused', 'bytes_round_trip']),
    );
    expect(report.summary).toMatchObject({ verdict: 'pass', failedChecks: 0, observations: 0 });
    expect(fs.readFileSync(path.join(reportDir, 'junit.xml'), 'utf8')).toMatch(/<testsuites[^>]*failures="0"/);
    // Credentials never reach a report.
    const raw = fs.readFileSync(path.join(reportDir, 'report.json'), 'utf8');
    expect(raw).not.toContain('espocrm-dev-key');
    expect(raw).not.toContain('espocrm-dev-password');
  });

  test('exits 1 against a server whose downloads are truncated', async () => {
    const broken = await startReferenceServer({ apis: ['espocrm'], faults: ['espocrm.truncated-download'] });
    try {
      const result = await runCli(['conformance', 'espocrm', '--base-url', broken.url]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/\[bytes_round_trip\] downloadAttachmentFile → 200: downloaded \d+ bytes differ from the upload/);
    } finally {
      await broken.close();
    }
  });

  test('the stateless subset passes against the Prism mock', async () => {
    const prism = await startPrism('espocrm');
    try {
      const result = await runCli(['conformance', 'espocrm', '--base-url', prism.url, '--stateless']);
      expect(result.stderr).toContain('(stateless)');
      expect(result.code, failedLines(result.stderr)).toBe(0);
    } finally {
      await prism.stop();
    }
  });

  test('exits 2 with a one-line reason for an unreachable target, rejected credentials and bad usage', async () => {
    const closed = await freePort();
    const unreachable = await runCli(['conformance', 'espocrm', '--base-url', `http://127.0.0.1:${closed}`]);
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr.trim()).toBe(`attachkit conformance espocrm: cannot reach http://127.0.0.1:${closed} (ECONNREFUSED)`);

    const rejected = await runCli(['conformance', 'espocrm', '--base-url', server.url, '--api-key', 'not-the-key']);
    expect(rejected.code).toBe(2);
    expect(rejected.stderr.trim()).toBe('attachkit conformance espocrm: credentials rejected: EspoCRM answered 401 to X-Api-Key credentials');

    const usage = await runCli(['conformance', 'espocrm', '--username', 'admin']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--username and --password go together');
    const unknownApi = await runCli(['conformance', 'nosuchcrm']);
    expect(unknownApi.code).toBe(2);
  });
});
