import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { configuredCredential, findApi } from '../../registry.ts';
import { launchChromium } from '../support/browser.ts';
import { startReferenceServer, type RunningServer } from '../support/reference-server.ts';
import { runCli } from '../support/run-cli.ts';

let server: RunningServer;
let reportDir: string;
beforeAll(async () => {
  server = await startReferenceServer({ apis: ['espocrm'], faults: ['espocrm.truncated-download'] });
  reportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'attachkit-html-'));
  const run = await runCli(['conformance', 'espocrm', '--base-url', server.url, '--report-dir', reportDir]);
  expect(run.code).toBe(1);
});
afterAll(async () => {
  await server.close();
  fs.rmSync(reportDir, { recursive: true, force: true });
});

test('report.html renders the summary and a failure with its request, response and rule', async () => {
  const report = JSON.parse(fs.readFileSync(path.join(reportDir, 'report.json'), 'utf8'));
  const html = fs.readFileSync(path.join(reportDir, 'report.html'), 'utf8');
  // Self-contained: no scripts, stylesheets, images or fetched assets (evidence links are plain <a href>).
  expect(html).not.toMatch(/<script|<link|<img|\ssrc=|url\(/);
  expect(html.match(/https?:\/\/(?!127\.0\.0\.1)[^"<\s]*/g)?.every((url) => html.includes(`<a href="${url}">`))).toBe(true);
  expect(html).not.toContain(configuredCredential(findApi('espocrm')!, 'api-key'));

  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(`file://${path.join(reportDir, 'report.html')}`);
    const summary = await page.locator('#summary').innerText();
    expect(summary).toContain('FAIL');
    expect(summary).toContain(`${report.summary.passedScenarios}/${report.summary.scenarios} scenarios passed`);
    expect(summary).toContain(`${report.summary.failedChecks} of ${report.summary.checks} checks failed`);

    const failure = page.locator('#failures details.failure').first();
    await expect.poll(() => failure.isVisible()).toBe(true);
    const text = await failure.innerText();
    expect(text).toContain('bytes_round_trip');
    expect(text).toMatch(/downloaded \d+ bytes differ from the upload/);
    expect(text).toMatch(/GET http:\/\/127\.0\.0\.1:\d+\/api\/v1\/Attachment\/file\//);
    expect(text).toContain('X-Api-Key: [redacted]');
    expect(text).toMatch(/^200$/m);
    expect(await page.locator('#coverage td.hit').count()).toBeGreaterThan(10);
    if (process.env.ATTACHKIT_SCREENSHOT) await page.screenshot({ path: process.env.ATTACHKIT_SCREENSHOT, fullPage: false });
  } finally {
    await browser.close();
  }
});
