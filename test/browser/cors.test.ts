import { expect, onTestFinished, test } from 'vitest';
import { apis } from '../../registry.ts';
import { launchChromium } from '../support/browser.ts';
import { pageServerForTest } from '../support/page-server.ts';
import { serverForTest } from '../support/scoped.ts';
import { sampleFiles, type RoundTrip } from '../support/sdk-round-trip.ts';
import { devCredentials } from '../support/sdk-round-trips.ts';

/**
 * A browser app on another origin uses `attachkit serve` through each API's generated SDK: the
 * page (served by its own server, another port, so another origin) runs the same round trip as
 * test/sdk (upload → link → list → download) in Chromium, which enforces CORS. The page shows a
 * table of what came back (ATTACHKIT_SCREENSHOT=<file.png> saves a screenshot of it).
 */
const page = `<!doctype html>
<html><head><meta charset="utf-8"><title>attachkit from another origin</title>
<style>body{font:14px sans-serif;margin:16px}td,th{border:1px solid #999;padding:3px 8px;text-align:left}table{border-collapse:collapse}.ok{color:#060}.bad{color:#b00}</style></head>
<body><h1>attachkit reference server, called from <span id="origin"></span></h1><p id="api"></p>
<table id="results"><tr><th>API</th><th>file</th><th>bytes</th><th>Content-Type</th><th>download</th></tr></table>
<script type="module">
document.getElementById('origin').textContent = location.origin;
window.roundTrip = async (id, options) => {
  document.getElementById('api').textContent = 'API at ' + options.baseUrl;
  const { roundTrip } = await import('/test/' + id + '/sdk-round-trip.ts');
  const result = await roundTrip(options);
  const table = document.getElementById('results');
  for (const [i, download] of result.downloads.entries()) {
    const sent = options.files[i];
    const same = download.base64 === sent.base64;
    const row = table.insertRow();
    for (const text of [id, download.name, atob(download.base64).length, download.contentType, same ? 'identical' : 'DIFFERENT']) row.insertCell().textContent = String(text);
    row.lastChild.className = same ? 'ok' : 'bad';
  }
  return result;
};
window.tryFetch = (url) => fetch(url).then((r) => 'answered ' + r.status, (e) => 'refused: ' + e.message);
</script></body></html>`;

test('a page on another origin uploads through every API with its SDK and downloads the same bytes, in Chromium', async () => {
  const api = await serverForTest();
  const closed = await serverForTest({ apis: [apis[0].id], corsOrigins: [] });
  const origin = await pageServerForTest(page);
  expect(new URL(origin).origin).not.toBe(new URL(api.url).origin);

  const browser = await launchChromium();
  onTestFinished(() => browser.close());
  const tab = await browser.newPage();
  await tab.goto(origin);
  await tab.waitForFunction(() => 'roundTrip' in window);
  const files = sampleFiles();

  for (const entry of apis) {
    const result = (await tab.evaluate(
      ([id, options]) => (window as unknown as { roundTrip: (id: string, o: unknown) => Promise<unknown> }).roundTrip(id as string, options),
      [entry.id, { baseUrl: api.url, credentials: devCredentials(entry), files }] as const,
    )) as RoundTrip;
    expect(result.json.filter((call) => call.status === 0 || call.status >= 400), entry.id).toEqual([]);
    expect(result.listed.sort(), entry.id).toEqual(files.map((f) => f.name).sort());
    expect(result.downloads.map((d) => ({ status: d.status, isBlob: d.isBlob, base64: d.base64 })), entry.id).toEqual(files.map((f) => ({ status: 200, isBlob: true, base64: f.base64 })));
    // Exposed headers: the page can read them from the other origin.
    for (const download of result.downloads) expect(download.contentDisposition, entry.id).toContain('attachment');
    expect(result.unauthenticatedStatus, entry.id).toBe(401);
  }
  expect(await tab.locator('#results td.ok').count()).toBe(apis.length * files.length);

  // The control: the same page against a server with CORS off gets nothing through.
  const refused = await tab.evaluate((url) => (window as unknown as { tryFetch: (u: string) => Promise<string> }).tryFetch(url), `${closed.url}${apis[0].basePath}/`);
  expect(refused).toMatch(/^refused: /);

  if (process.env.ATTACHKIT_SCREENSHOT) await tab.screenshot({ path: process.env.ATTACHKIT_SCREENSHOT, fullPage: true });
});
