import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import type { RunningServer } from '../support/reference-server.ts';
import { serverForTest, tempDirForTest } from '../support/scoped.ts';
import { failedLines, runCli } from '../support/run-cli.ts';
import { blobKeys, rows, scalar } from '../support/store-inspect.ts';

const server = (faults: string[] = []) => serverForTest({ apis: ['espocrm'], faults });
const tempDir = () => tempDirForTest('attachkit-modes-');

const count = (s: RunningServer, table: string) => scalar(s.store, `SELECT count(*) AS n FROM ${table}`);

test('a run deletes everything it created; --keep leaves it, named with the run id', async () => {
  const s = await server();
  expect((await runCli(['conformance', 'espocrm', '--base-url', s.url])).code).toBe(0);
  expect({ records: await count(s, 'espocrm_record'), attachments: await count(s, 'espocrm_attachment'), files: (await blobKeys(s.store)).length }).toEqual({
    records: 0,
    attachments: 0,
    files: 0,
  });

  const kept = await runCli(['conformance', 'espocrm', '--base-url', s.url, '--keep']);
  expect(kept.code, failedLines(kept.stderr)).toBe(0);
  const runId = /run ([0-9a-f]{8})\)/.exec(kept.stderr)![1];
  const names = (await rows<{ name: string }>(s.store, 'SELECT name FROM espocrm_attachment')).map((r) => r.name);
  expect(names.length).toBeGreaterThan(5);
  expect(names.every((name) => name.startsWith(`attachkit-${runId}-`))).toBe(true);
});

test('--read-only sends only GETs, on the ids it is given', async () => {
  const s = await server();
  const key = { 'X-Api-Key': 'espocrm-dev-key', 'Content-Type': 'application/json' };
  const body = JSON.stringify({ name: 'ro.txt', type: 'text/plain', role: 'Attachment', relatedType: 'Document', field: 'file', file: 'data:text/plain;base64,cm8=' });
  const attachment = await (await fetch(`${s.url}/api/v1/Attachment`, { method: 'POST', headers: key, body })).json();
  const reportDir = tempDir();
  const before = await count(s, 'espocrm_attachment');
  const run = await runCli(['conformance', 'espocrm', '--base-url', s.url, '--read-only', '--attachment-id', attachment.id, '--report-dir', reportDir]);
  expect(run.code, failedLines(run.stderr)).toBe(0);
  const report = JSON.parse(fs.readFileSync(path.join(reportDir, 'report.json'), 'utf8'));
  const methods = new Set(report.scenarios.flatMap((sc: { exchanges: Array<{ method: string }> }) => sc.exchanges.map((e) => e.method)));
  expect([...methods]).toEqual(['GET']);
  expect(report.scenarios.map((sc: { name: string }) => sc.name)).toContain(`Attachment ${attachment.id}: metadata, and a download of exactly its size`);
  expect(report.notRun.map((n: { needs: string }) => n.needs).sort()).toEqual(['needs --document-id', 'needs --note-id']);
  expect(await count(s, 'espocrm_attachment')).toBe(before);
});

test('--write-baseline records known deviations; --baseline accepts them and fails on new ones', async () => {
  const baseline = path.join(tempDir(), 'baseline.json');
  const known = await server(['espocrm.note-put-appends']);
  const written = await runCli(['conformance', 'espocrm', '--base-url', known.url, '--write-baseline', baseline]);
  expect(written.code, failedLines(written.stderr)).toBe(0);
  // The fault breaks PUT and PATCH alike: note_put_replaces_list, note_put_unlinks_omitted, patch_updates.
  expect(written.stderr).toMatch(/wrote 3 known deviations to /);
  const again = await runCli(['conformance', 'espocrm', '--base-url', known.url, '--baseline', baseline]);
  expect(again.code, failedLines(again.stderr)).toBe(0);
  expect(again.stderr).toContain('3 known deviations accepted by the baseline');

  const worse = await server(['espocrm.note-put-appends', 'espocrm.truncated-download']);
  const regressed = await runCli(['conformance', 'espocrm', '--base-url', worse.url, '--baseline', baseline]);
  expect(regressed.code).toBe(1);
  expect(regressed.stderr).toContain('[bytes_round_trip]');
  expect(regressed.stderr).not.toContain('[note_put_replaces_list]');
});
