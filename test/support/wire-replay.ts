import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

/**
 * Wire fixtures: what a vendor's own client sent, request by request (method, path and query,
 * headers, body, byte for byte), captured by hand against the reference server, with the values
 * that differ between runs (record ids, tokens, the site URL) as `{{placeholders}}`; and the
 * answers the client needs (status, media type, reason header, the JSON members it reads).
 * Replaying one against a fresh reference server tells whether that client still works.
 */
export interface WireFixture {
  client: string;
  flow: string;
  capturedAgainst: string;
  exchanges: WireExchange[];
}

/** A header the client computes from the request (e.g. an HMAC signature), described, not copied. */
export type ComputedHeader = Record<string, string>;

export interface WireExchange {
  request: { method: string; path: string; headers: Record<string, string | ComputedHeader>; body?: string };
  expect: {
    status: number;
    contentType?: string;
    statusReason?: string;
    /** Locations (`request.query.searchParams`) the server names in X-Attachkit-Violations. */
    violations?: string[];
    /** A partial match: every member given must be there, arrays element by element; `{{*}}` is any non-empty value. */
    json?: unknown;
    text?: string;
  };
  /** Placeholders this answer defines: name → dotted path into the JSON body. */
  save?: Record<string, string>;
}

export function loadWireFixtures(dir: string): Array<{ name: string; fixture: WireFixture }> {
  return fs
    .readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({ name: file.replace(/\.json$/, ''), fixture: JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as WireFixture }));
}

export interface ReplayOptions {
  /** Renders a computed header (the API's test knows its secrets). */
  computeHeader?: (name: string, spec: ComputedHeader, request: { method: string; path: string }) => string;
}

/** Replays every exchange in order; returns one line per answer that is not what the client needs. */
export async function replayWireFixture(fixture: WireFixture, siteUrl: string, options: ReplayOptions = {}): Promise<string[]> {
  const vars = new Map<string, string>([['site', siteUrl]]);
  const fill = (text: string) =>
    text.replace(/\{\{([A-Za-z0-9_]+)\}\}/g, (whole, name: string) => {
      if (!vars.has(name)) throw new Error(`placeholder {{${name}}} is used before an answer defines it`);
      return vars.get(name)!;
    });
  const problems: string[] = [];
  for (const [index, exchange] of fixture.exchanges.entries()) {
    const { request, expect } = exchange;
    const requestPath = fill(request.path);
    const step = `#${index + 1} ${request.method} ${requestPath}`;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (typeof value === 'string') headers[name] = fill(value);
      else {
        if (!options.computeHeader) throw new Error(`${step}: header ${name} is computed, and no computeHeader was given`);
        const spec = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v)]));
        headers[name] = options.computeHeader(name, spec, { method: request.method, path: requestPath });
      }
    }
    const body = request.body === undefined ? undefined : Buffer.from(fill(request.body), 'utf8');
    const response = await send(siteUrl, request.method, requestPath, headers, body);
    const found = (what: string) => problems.push(`${step}: ${what}`);
    if (response.status !== expect.status) found(`status ${response.status}, the client needs ${expect.status} (${response.headers['x-status-reason'] ?? response.text.slice(0, 200)})`);
    if (expect.contentType !== undefined && response.headers['content-type'] !== expect.contentType) {
      found(`Content-Type '${response.headers['content-type']}', the client needs '${expect.contentType}'`);
    }
    if (expect.statusReason !== undefined && response.headers['x-status-reason'] !== fill(expect.statusReason)) {
      found(`X-Status-Reason '${response.headers['x-status-reason']}', expected '${fill(expect.statusReason)}'`);
    }
    const violations = response.headers['x-attachkit-violations'];
    const locations = violations ? (JSON.parse(violations) as Array<{ location: string[] }>).map((v) => v.location.join('.')) : [];
    if (JSON.stringify(locations) !== JSON.stringify(expect.violations ?? [])) found(`departures named [${locations}], expected [${expect.violations ?? []}]`);
    if (expect.text !== undefined && response.text !== fill(expect.text)) found(`body ${JSON.stringify(response.text.slice(0, 200))}, expected ${JSON.stringify(fill(expect.text).slice(0, 200))}`);
    if (expect.json !== undefined) {
      let actual: unknown;
      try {
        actual = JSON.parse(response.text);
      } catch {
        found(`body is not JSON: ${JSON.stringify(response.text.slice(0, 200))}`);
        continue;
      }
      for (const [name, dotted] of Object.entries(exchange.save ?? {})) {
        const value = dotted.split('.').reduce<unknown>((at, key) => (at && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined), actual);
        if (value === undefined || value === null) found(`no ${dotted} in the answer, which the client reads`);
        else vars.set(name, String(value));
      }
      for (const mismatch of partialMatch(expect.json, actual, '', fill)) found(mismatch);
    }
  }
  return problems;
}

function partialMatch(expected: unknown, actual: unknown, at: string, fill: (text: string) => string): string[] {
  const where = at || 'the body';
  if (typeof expected === 'string') {
    if (expected === '{{*}}') return actual === undefined || actual === null || actual === '' ? [`${where} is empty`] : [];
    const want = fill(expected);
    const got = typeof actual === 'number' || typeof actual === 'string' ? String(actual) : JSON.stringify(actual);
    return got === want ? [] : [`${where} is ${JSON.stringify(actual)}, expected ${JSON.stringify(want)}`];
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return [`${where} is ${JSON.stringify(actual)?.slice(0, 200)}, expected ${expected.length} items`];
    return expected.flatMap((item, i) => partialMatch(item, actual[i], `${at}[${i}]`, fill));
  }
  if (expected && typeof expected === 'object') {
    if (!actual || typeof actual !== 'object') return [`${where} is ${JSON.stringify(actual)}, expected an object`];
    return Object.entries(expected).flatMap(([rawKey, value]) => {
      const key = fill(rawKey);
      if (!(key in actual)) return [`${at ? `${at}.` : ''}${key} is missing`];
      return partialMatch(value, (actual as Record<string, unknown>)[key], `${at ? `${at}.` : ''}${key}`, fill);
    });
  }
  return Object.is(expected, actual) ? [] : [`${where} is ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`];
}

/** node:http, not fetch: the fixture's headers go out as recorded (fetch would rewrite some). */
function send(siteUrl: string, method: string, requestPath: string, headers: Record<string, string>, body: Buffer | undefined) {
  const url = new URL(requestPath, siteUrl);
  return new Promise<{ status: number; headers: Record<string, string>; text: string }>((resolve, reject) => {
    const req = http.request(url, { method, headers: { ...headers, ...(body ? { 'Content-Length': String(body.length) } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const flat: Record<string, string> = {};
        for (const [name, value] of Object.entries(res.headers)) if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
        resolve({ status: res.statusCode ?? 0, headers: flat, text: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
