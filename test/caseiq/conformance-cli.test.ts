import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startPrism } from '../support/prism.ts';
import { startReferenceServer, type RunningServer } from '../support/reference-server.ts';
import { failedLines, runCli } from '../support/run-cli.ts';
import { tempDirForTest } from '../support/scoped.ts';
import { rows } from '../support/store-inspect.ts';
import { api, bearer, grantToken } from './caseiq-client.ts';

function reportDir(): string {
  return tempDirForTest('attachkit-caseiq-report-');
}

const attachmentNames = async (s: RunningServer) => (await rows<{ name: string }>(s.store, 'SELECT name FROM caseiq_attachment')).map((r) => r.name);

describe('attachkit conformance caseiq', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startReferenceServer({ apis: ['caseiq'] });
  });
  afterAll(() => server.close());

  test('passes against the reference server, writes its reports, and leaves only named attachments', async () => {
    const dir = reportDir();
    const result = await runCli(['conformance', 'caseiq', '--base-url', server.url, '--report-dir', dir]);
    expect(result.stderr).toContain('scenarios passed, 0 of');
    expect(result.code, failedLines(result.stderr)).toBe(0);
    const report = JSON.parse(fs.readFileSync(path.join(dir, 'report.json'), 'utf8'));
    expect(report.summary.failedScenarios).toBe(0);
    expect(report.summary.scenarios).toBeGreaterThanOrEqual(20);
    expect(report.checks.map((c: { check: string }) => c.check)).toEqual(
      expect.arrayContaining(['response_schema_conformance', 'required_headers_present', 'auth_required', 'bad_input_refused', 'bytes_round_trip']),
    );
    const ran = report.expectations.filter((e: { ran: boolean }) => e.ran).map((e: { name: string }) => e.name);
    expect(ran).toEqual(
      expect.arrayContaining([
        'record_names_file',
        'record_template_locale',
        'tags_match_upload',
        'count_is_page_size',
        'paging_no_repeats',
        'paging_sees_every_record',
        'paging_order',
        'fields_projection',
        'filter_documented_fields',
        'filter_other_fields',
        'error_dialect',
        'oauth_error_code',
      ]),
    );
    // Against the reference server every expectation holds, the assumed ones too.
    expect(report.summary).toMatchObject({ verdict: 'pass', failedChecks: 0, observations: 0 });
    expect(fs.readFileSync(path.join(dir, 'junit.xml'), 'utf8')).toMatch(/<testsuites[^>]*failures="0"/);
    // Neither the client secret nor any token the run was granted reaches a report.
    const raw = fs.readFileSync(path.join(dir, 'report.json'), 'utf8');
    expect(raw).not.toContain('caseiq-dev-secret');
    expect(raw.match(/\\"access_token\\":\\"[^\\"]*/g)?.every((m) => m.endsWith('[redacted]'))).toBe(true);
    // The API has no delete: the run's uploads stay, every one named for the run.
    const runId = /run ([0-9a-f]{8})\)/.exec(result.stderr)![1];
    const names = await attachmentNames(server);
    expect(names.length).toBeGreaterThan(15);
    expect(names.every((name) => name.startsWith(`attachkit-${runId}-`))).toBe(true);
  });

  test('exits 1 against a server whose count is the total, and one that ignores after (documented plain cursors)', async () => {
    const [countIsTotal, ignoresAfter] = await Promise.all(['caseiq.count-is-total', 'caseiq.ignores-after'].map((fault) => startReferenceServer({ apis: ['caseiq'], faults: [fault] })));
    try {
      const [total, after] = await Promise.all([countIsTotal, ignoresAfter].map((s) => runCli(['conformance', 'caseiq', '--base-url', s.url])));
      expect(total.code).toBe(1);
      expect(total.stderr).toMatch(/\[count_is_page_size\] after-walk sort=createdDate order=asc limit=1: page 1: count is \d+ but the page holds 1 record\(s\)/);
      expect(after.code).toBe(1);
      // Documented: after=<value> leaves out the records holding it. The walks use tie-safe cursors,
      // which only attachkit's contract defines, so what they see is an observation.
      expect(after.stderr).toMatch(/\[plain_cursor_excludes_value\] after=<value> lists a record holding that value\n/);
      expect(after.stderr).toMatch(/\[paging_no_repeats\] after-walk sort=createdDate order=asc limit=1: record [0-9a-f-]{36} was listed twice \(page 2\) \(observation\)/);
      expect(after.stderr).toMatch(/\[paging_sees_every_record\] after-walk sort=createdDate order=asc limit=1: \d of the 5 uploaded records never listed .* \(observation\)/);
    } finally {
      await Promise.all([countIsTotal.close(), ignoresAfter.close()]);
    }
  });

  test('the stateless subset passes against the Prism mock', async () => {
    const prism = await startPrism('caseiq');
    try {
      const result = await runCli(['conformance', 'caseiq', '--base-url', prism.url, '--stateless']);
      expect(result.stderr).toContain('(stateless)');
      expect(result.stderr).toContain('5/5 scenarios passed, 0 of');
      expect(result.code, failedLines(result.stderr)).toBe(0);
    } finally {
      await prism.stop();
    }
  });

  test('--read-only sends only GETs and adds nothing to the case', async () => {
    const token = await grantToken(server.url);
    const [first] = ((await (await fetch(`${server.url}${api}/attachments?limit=1`, { headers: bearer(token) })).json()) as { records: Array<{ id: string }> }).records;
    const before = (await attachmentNames(server)).length;
    const dir = reportDir();
    const run = await runCli(['conformance', 'caseiq', '--base-url', server.url, '--read-only', '--attachment-id', first.id, '--report-dir', dir]);
    expect(run.code, failedLines(run.stderr)).toBe(0);
    const report = JSON.parse(fs.readFileSync(path.join(dir, 'report.json'), 'utf8'));
    const methods = new Set(report.scenarios.flatMap((sc: { exchanges: Array<{ method: string }> }) => sc.exchanges.map((e) => e.method)));
    expect([...methods]).toEqual(['GET']);
    expect(report.scenarios.map((sc: { name: string }) => sc.name)).toContain(`Attachment ${first.id} (read-only): metadata, listing and a download that agree`);
    expect(await attachmentNames(server)).toHaveLength(before);
  });

  test('exits 2 with a one-line reason for rejected credentials and bad usage; --token works alone', async () => {
    const badSecret = await runCli(['conformance', 'caseiq', '--base-url', server.url, '--client-id', 'caseiq-dev-client', '--client-secret', 'wrong']);
    expect(badSecret.code).toBe(2);
    expect(badSecret.stderr.trim()).toBe('attachkit conformance caseiq: credentials rejected: Case IQ answered 401 (invalid_client) to client_id caseiq-dev-client and its client_secret');
    const badToken = await runCli(['conformance', 'caseiq', '--base-url', server.url, '--token', 'not-a-token']);
    expect(badToken.code).toBe(2);
    expect(badToken.stderr.trim()).toBe('attachkit conformance caseiq: credentials rejected: Case IQ answered 401 to the access token given with --token');

    const half = await runCli(['conformance', 'caseiq', '--base-url', server.url, '--client-id', 'caseiq-dev-client']);
    expect(half.code).toBe(2);
    expect(half.stderr).toContain('--client-id and --client-secret go together');
    const both = await runCli(['conformance', 'caseiq', '--base-url', server.url, '--token', 't', '--client-id', 'a', '--client-secret', 'b']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('give --token, or --client-id with --client-secret, not both');

    // A token alone: the token scenarios that need client credentials are named as not run, the rest pass.
    const withToken = await runCli(['conformance', 'caseiq', '--base-url', server.url, '--token', await grantToken(server.url, 3600)]);
    expect(withToken.code, failedLines(withToken.stderr)).toBe(0);
    expect(withToken.stderr).toMatch(/✓ Token: an unknown service account is refused/);
    const needs = 'needs --client-id with --client-secret (instead of --token)';
    for (const name of [
      'Token: grants with the default and the longest ttl, and the token opens the API',
      'Token: documented refusals (wrong grant_type 501, bad credentials 401, bad ttl and scope 400)',
      'Token: an expired token is refused with 401',
    ]) {
      expect(withToken.stderr).toContain(`  - ${name}  (not run: ${needs})`);
    }
  });
});
