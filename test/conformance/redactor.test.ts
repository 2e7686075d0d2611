import { expect, test } from 'vitest';
import { apis } from '../../registry.ts';
import { loadContract } from '../../conformance/kit/contract.ts';
import { Redactor, secretHeaderNames } from '../../conformance/kit/redactor.ts';

test.each(apis.map((a) => a.id))('%s: every header its securitySchemes name is redacted, other headers are kept', async (id) => {
  const { index } = await loadContract(id);
  const schemes = Object.values((index.doc.components?.securitySchemes ?? {}) as Record<string, { type: string; in?: string; name?: string }>);
  expect(schemes.length).toBeGreaterThan(0);
  const redactor = new Redactor(secretHeaderNames(index.doc));
  for (const scheme of schemes) {
    const header = scheme.type === 'apiKey' ? (scheme.in === 'cookie' ? 'Cookie' : scheme.name!) : 'Authorization';
    expect(redactor.headers({ [header]: 'opaque-credential-value' }), `${scheme.type} ${scheme.name ?? ''}`).toEqual({ [header]: '[redacted]' });
  }
  expect(redactor.headers({ 'Content-Type': 'application/json', 'X-Request-Id': 'abc' })).toEqual({ 'Content-Type': 'application/json', 'X-Request-Id': 'abc' });
});
