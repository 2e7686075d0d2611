import { expect, test } from 'vitest';
import { apis, specFile } from '../../registry.ts';
import { loadSpec } from '../../lib/openapi/load-spec.ts';
import { OperationIndex } from '../../lib/openapi/operation-index.ts';
import { serverForTest } from '../support/scoped.ts';

const origin = 'http://app.example.test:5173';

/** A secured operation of each API, as a path on the site (path parameters filled with a dummy). */
function securedOperation(apiId: string) {
  const contract = new OperationIndex(loadSpec(specFile(apis.find((a) => a.id === apiId)!)));
  const operation = contract.operations.find((op) => !op.open && op.method === 'post') ?? contract.operations.find((op) => !op.open)!;
  return { method: operation.method.toUpperCase(), path: operation.path.replace(/\{[^}]+\}/g, '1') };
}

test.each(apis.map((a) => a.id))('%s: a preflight is answered before authentication, and answers expose the documented headers', async (id) => {
  const { url } = await serverForTest({ apis: [id] });
  const { method, path } = securedOperation(id);
  const preflight = await fetch(`${url}${path}`, {
    method: 'OPTIONS',
    headers: { Origin: origin, 'Access-Control-Request-Method': method, 'Access-Control-Request-Headers': 'authorization,x-api-key,content-type' },
  });
  expect(preflight.status).toBe(204);
  expect(preflight.headers.get('access-control-allow-origin')).toBe(origin);
  expect(preflight.headers.get('access-control-allow-methods')).toBe(method);
  expect(preflight.headers.get('access-control-allow-headers')).toBe('authorization,x-api-key,content-type');
  expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');

  // Without credentials the API refuses in its dialect, and the browser may still read why.
  const refused = await fetch(`${url}${path}`, { method, headers: { Origin: origin } });
  expect(refused.status).toBe(401);
  expect(refused.headers.get('access-control-allow-origin')).toBe(origin);
  const exposed = refused.headers.get('access-control-expose-headers')!.split(', ');
  expect(exposed).toEqual(expect.arrayContaining(['Content-Disposition', 'Content-Length', 'X-Attachkit-Violations']));
  const documented = new Set(new OperationIndex(loadSpec(specFile(apis.find((a) => a.id === id)!))).operations.flatMap((op) => Object.values(op.responses).flatMap((r) => Object.keys(r.headers ?? {}))));
  for (const header of documented) expect(exposed).toContain(header);
  expect(refused.headers.get('vary')).toMatch(/Origin/);
});

test('--cors-origin with a list answers only those origins; none turns CORS off', async () => {
  const { method, path } = securedOperation(apis[0].id);
  const listed = await serverForTest({ apis: [apis[0].id], corsOrigins: [origin] });
  const other = await fetch(`${listed.url}${path}`, { method: 'OPTIONS', headers: { Origin: 'http://elsewhere.test', 'Access-Control-Request-Method': method } });
  expect(other.headers.get('access-control-allow-origin')).toBeNull();
  const allowed = await fetch(`${listed.url}${path}`, { method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': method } });
  expect(allowed.headers.get('access-control-allow-origin')).toBe(origin);

  const off = await serverForTest({ apis: [apis[0].id], corsOrigins: [] });
  const preflight = await fetch(`${off.url}${path}`, { method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': method } });
  expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  expect(preflight.status).not.toBe(204);
});
