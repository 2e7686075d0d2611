import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { freePort } from '../support/free-port.ts';
import { startPrism } from '../support/prism.ts';
import { startReferenceServer, type RunningServer } from '../support/reference-server.ts';
import { failedLines, runCli } from '../support/run-cli.ts';
import { tempDirForTest } from '../support/scoped.ts';
import { blobKeys, scalar } from '../support/store-inspect.ts';
import { attach, login, responseOf, uploadMultipart } from './client.ts';

function reportDir(): string {
  return tempDirForTest('attachkit-report-');
}

function readReport(dir: string) {
  return JSON.parse(fs.readFileSync(path.join(dir, 'report.json'), 'utf8'));
}

function storedFiles(server: RunningServer): Promise<number> {
  return scalar(server.store, 'SELECT COUNT(*) AS n FROM onlyoffice_file');
}

describe('attachkit conformance onlyoffice', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startReferenceServer({ apis: ['onlyoffice'] });
  });
  afterAll(() => server.close());

  test('passes against the reference server, writes its reports, redacts tokens and deletes every file it stored', async () => {
    const dir = reportDir();
    const result = await runCli(['conformance', 'onlyoffice', '--base-url', server.url, '--report-dir', dir]);
    expect(result.stderr).toContain('scenarios passed, 0 of');
    expect(result.code, failedLines(result.stderr)).toBe(0);
    const report = readReport(dir);
    expect(report.summary.failedScenarios).toBe(0);
    expect(report.summary.scenarios).toBeGreaterThanOrEqual(30);
    expect(report.checks.map((c: { check: string }) => c.check)).toEqual(
      expect.arrayContaining([
        'status_code_documented',
        'content_type_documented',
        'response_schema_conformance',
        'required_headers_present',
        'auth_required',
        'bad_input_refused',
        'expected_status',
        'bytes_round_trip',
      ]),
    );
    const ran = report.expectations.filter((e: { ran: boolean }) => e.ran).map((e: { name: string }) => e.name);
    expect(ran).toEqual(expect.arrayContaining(['camel_case_keys', 'envelope_status_code', 'upload_does_not_attach', 'attach_event_files', 'delete_unlinks_file']));
    // Against the reference server every expectation holds: no failure, no observation.
    expect(report.summary).toMatchObject({ verdict: 'pass', failedChecks: 0, observations: 0 });
    expect(fs.readFileSync(path.join(dir, 'junit.xml'), 'utf8')).toMatch(/<testsuites[^>]*failures="0"/);
    const raw = fs.readFileSync(path.join(dir, 'report.json'), 'utf8');
    expect(raw).not.toContain('onlyoffice-dev-password');
    // Issued tokens appear only redacted, in bodies and in headers.
    expect(raw).toContain('\\"token\\":\\"[redacted]\\"');
    expect(raw).not.toMatch(/\\"token\\":\\"(?!\[redacted\])/);
    expect(raw).not.toMatch(/asc_auth_key=(?!\[redacted\]|<token>)/);
    expect(await storedFiles(server)).toBe(0);
    expect(await blobKeys(server.store)).toEqual([]);
  });

  test('exits 1 against a server that answers PascalCase keys, and against one that drops the envelope', async () => {
    for (const [fault, line] of [
      ['pascal-case-keys', /\[camel_case_keys\] log in: keys are not camelCase: \/Count, \/Status, \/StatusCode, \/Response/],
      ['no-envelope', /\[envelope_present\] log in: the body is not wrapped in the \{status, statusCode, …\} envelope/],
    ] as const) {
      const broken = await startReferenceServer({ apis: ['onlyoffice'], faults: [`onlyoffice.${fault}`] });
      try {
        const result = await runCli(['conformance', 'onlyoffice', '--base-url', broken.url]);
        expect(result.code, fault).toBe(1);
        expect(result.stderr).toMatch(line);
        expect(result.stderr).toMatch(/\[response_schema_conformance\] authenticate → 201: body breaks the schema/);
      } finally {
        await broken.close();
      }
    }
  });

  test('the stateless subset passes against the Prism mock', async () => {
    const prism = await startPrism('onlyoffice');
    try {
      const result = await runCli(['conformance', 'onlyoffice', '--base-url', prism.url, '--stateless']);
      expect(result.stderr).toContain('(stateless)');
      expect(result.stderr).toContain('0 of');
      expect(result.code, failedLines(result.stderr)).toBe(0);
    } finally {
      await prism.stop();
    }
  });

  test('--token alone and --entity-type case: passes, never logs in, attaches to the case', async () => {
    const token = await login(server.url);
    const dir = reportDir();
    const result = await runCli(['conformance', 'onlyoffice', '--base-url', server.url, '--token', token, '--entity-type', 'case', '--entity-id', '1', '--report-dir', dir]);
    expect(result.code, failedLines(result.stderr)).toBe(0);
    const report = readReport(dir);
    // The login scenario needs a password: named as not run, with the options that would enable it.
    expect(report.notRun).toEqual([
      {
        name: 'POST /authentication issues a token accepted raw, as Bearer and as the asc_auth_key cookie; Basic works too',
        file: 'conformance/apis/onlyoffice/authentication.test.ts',
        needs: 'needs --username with --password (instead of --token)',
      },
    ]);
    const exchanges = report.scenarios.flatMap((s: { exchanges: Array<{ operationId?: string; url: string; status?: number }> }) => s.exchanges);
    // The only logins are the failed-login scenario's, as an unknown user.
    expect(exchanges.filter((e: { operationId?: string; status?: number }) => e.operationId?.startsWith('authenticate') && e.status === 201)).toEqual([]);
    expect(exchanges.some((e: { operationId?: string; url: string }) => e.operationId === 'attachCrmFiles' && e.url.endsWith('/api/2.0/crm/case/1/files'))).toBe(true);
    expect(fs.readFileSync(path.join(dir, 'report.json'), 'utf8')).not.toContain(token);
  });

  test('--read-only sends only GETs, downloads a file already on the record, and stores nothing', async () => {
    const token = await login(server.url);
    const file = await responseOf<{ id: number }>(await uploadMultipart(server.url, token, 'existing.txt', Buffer.from('already attached')));
    expect((await attach(server.url, token, 'opportunity/1', [file.id])).status).toBe(201);
    const before = await storedFiles(server);
    const dir = reportDir();
    const result = await runCli(['conformance', 'onlyoffice', '--base-url', server.url, '--read-only', '--entity-type', 'opportunity', '--report-dir', dir]);
    expect(result.code, failedLines(result.stderr)).toBe(0);
    const exchanges = readReport(dir).scenarios.flatMap((s: { exchanges: Array<{ method: string; step: string }> }) => s.exchanges);
    expect(new Set(exchanges.map((e: { method: string }) => e.method))).toEqual(new Set(['GET']));
    expect(exchanges.map((e: { step: string }) => e.step)).toContain(`download file ${file.id} from its viewUrl`);
    expect(await storedFiles(server)).toBe(before);
  });

  test('exits 2 with a one-line reason for rejected credentials and bad usage', async () => {
    const closed = await freePort();
    const unreachable = await runCli(['conformance', 'onlyoffice', '--base-url', `http://127.0.0.1:${closed}`]);
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr.trim()).toBe(`attachkit conformance onlyoffice: cannot reach http://127.0.0.1:${closed} (ECONNREFUSED)`);

    const wrongPassword = await runCli(['conformance', 'onlyoffice', '--base-url', server.url, '--username', 'admin@example.com', '--password', 'not-the-password']);
    expect(wrongPassword.code).toBe(2);
    expect(wrongPassword.stderr.trim()).toBe(
      'attachkit conformance onlyoffice: credentials rejected: POST /api/2.0/authentication answered 500 (User authentication failed) for admin@example.com',
    );
    const wrongToken = await runCli(['conformance', 'onlyoffice', '--base-url', server.url, '--token', 'not-a-token']);
    expect(wrongToken.code).toBe(2);
    expect(wrongToken.stderr.trim()).toBe('attachkit conformance onlyoffice: credentials rejected: ONLYOFFICE answered 401 to the token');

    for (const [args, message] of [
      [['--token', 't', '--username', 'u', '--password', 'p'], 'give --token, or --username and --password, not both'],
      [['--username', 'admin@example.com'], '--username and --password go together'],
      [['--entity-type', 'lead'], "--entity-type must be one of contact, opportunity, case, got 'lead'"],
      [['--entity-id', '0'], "--entity-id must be a positive 32-bit integer, got '0'"],
    ] as const) {
      const usage = await runCli(['conformance', 'onlyoffice', '--base-url', server.url, ...args]);
      expect(usage.code, args.join(' ')).toBe(2);
      expect(usage.stderr.trim()).toBe(`attachkit conformance: ${message}`);
    }
  });
});
