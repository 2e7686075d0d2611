import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { serverForTest, tempDirForTest } from '../support/scoped.ts';
import { failedLines, runCli } from '../support/run-cli.ts';

// Case IQ does not document that a saved record returns its tags, so a server that loses a single
// bulkTags[] part breaks an assumption, not the vendor's word: an observation in every report
// format, exit 0, and exit 1 with --strict.
const line = /\[tags_match_upload\] saveFile attachkit-[0-9a-f]{8}-statement\.txt: tags are \[\], sent 1 bulkTags\[\] part\(s\) \["00000000-0000-4000-8000-0000000000b1"\] \(observation\)/;

test('an assumed expectation that fails is an observation: exit 0, shown in the summary, JSON, JUnit and HTML; --strict exits 1', async () => {
  const server = await serverForTest({ apis: ['caseiq'], faults: ['caseiq.single-tag-dropped'] });
  const dir = tempDirForTest('attachkit-observation-');
  const run = await runCli(['conformance', 'caseiq', '--base-url', server.url, '--negative-limit', '0', '--report-dir', dir]);
  expect(run.code, failedLines(run.stderr)).toBe(0);
  // Summary (stderr): under its scenario, in the observations list, and counted in the verdict line.
  expect(run.stderr).toMatch(/~ Upload with one tag \(one bulkTags\[\] part\) and a description/);
  expect(run.stderr).toMatch(new RegExp(`observations \\(2\\): assumed behaviour the target does not show; they do not fail the run \\(--strict makes them\\)\\n  ${line.source}`));
  expect(run.stderr).toMatch(/caseiq at http:\/\/127\.0\.0\.1:\d+ \(full\): PASS: \d+\/\d+ scenarios passed, 0 of \d+ checks failed, 2 observations/);

  const report = JSON.parse(fs.readFileSync(path.join(dir, 'report.json'), 'utf8'));
  expect(report.summary).toMatchObject({ verdict: 'pass', strict: false, failedChecks: 0, observations: 2, failedScenarios: 0 });
  const observed = report.scenarios.flatMap((s: { outcomes: Array<{ passed: boolean }> }) => s.outcomes.filter((o) => !o.passed));
  expect(observed).toEqual([
    expect.objectContaining({ check: 'tags_match_upload', kind: 'expectation', severity: 'observation' }),
    expect.objectContaining({ check: 'tags_match_upload', kind: 'expectation', severity: 'observation' }),
  ]);
  expect(report.expectations.find((e: { name: string }) => e.name === 'tags_match_upload')).toMatchObject({
    evidence: { kind: 'assumed', why: 'the docs do not say the record returns its tags, nor in which shape' },
    ran: true,
    failed: 0,
    observations: 2,
  });

  const junit = fs.readFileSync(path.join(dir, 'junit.xml'), 'utf8');
  expect(junit).toMatch(/<testsuites[^>]*failures="0"/);
  expect(junit).toMatch(/<property name="observation" value="\[tags_match_upload\] saveFile attachkit-[0-9a-f]{8}-statement\.txt: tags are \[\], sent 1 bulkTags\[\] part\(s\) \[&quot;00000000-0000-4000-8000-0000000000b1&quot;\] \(observation\)">/);

  const html = fs.readFileSync(path.join(dir, 'report.html'), 'utf8');
  expect(html).toMatch(/<section id="summary" class="verdict pass">\n<strong>PASS<\/strong>/);
  expect(html).toContain('<span>2 observations (not failing; --strict makes them fail)</span>');
  const observations = html.slice(html.indexOf('<section id="observations">'), html.indexOf('</section>', html.indexOf('<section id="observations">')));
  expect(observations).toContain('<h2>Observations (2)</h2>');
  expect(observations).toMatch(/<span class="check">tags_match_upload<\/span> saveFile attachkit-[0-9a-f]{8}-statement\.txt: tags are \[\]/);
  expect(html).not.toContain('<section id="failures">');

  const strict = await runCli(['conformance', 'caseiq', '--base-url', server.url, '--negative-limit', '0', '--report-dir', dir, '--strict']);
  expect(strict.code).toBe(1);
  expect(strict.stderr).toMatch(/\(full, strict\): FAIL: \d+\/\d+ scenarios passed, 0 of \d+ checks failed, 2 observations/);
  expect(JSON.parse(fs.readFileSync(path.join(dir, 'report.json'), 'utf8')).summary).toMatchObject({ verdict: 'fail', strict: true, observations: 2, failedScenarios: 1 });
  expect(fs.readFileSync(path.join(dir, 'junit.xml'), 'utf8')).toMatch(/<testsuites[^>]*failures="1"/);
  expect(fs.readFileSync(path.join(dir, 'report.html'), 'utf8')).toContain('<span>2 observations (failing: --strict)</span>');
});
