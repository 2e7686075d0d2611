import { mediaType } from '../exchange.ts';
import { defineCheck, CheckFailure, describeExchange, documentedContent, documentedResponse } from './check.ts';

function matches(pattern: string, actual: string): boolean {
  const p = pattern.split(';')[0].trim().toLowerCase();
  if (p === '*/*' || p === actual) return true;
  return p.endsWith('/*') && actual.startsWith(p.slice(0, -1));
}

/**
 * The body's media type is one the documented response lists; a documented body is present
 * unless the response says it may be absent (`x-attachkit-optional-content`, EspoCRM's errors).
 */
export const contentTypeDocumented = defineCheck({
  name: 'content_type_documented',
  description: 'the response media type is documented, and a documented body is not missing',
  applies: (ex) => Boolean(ex.operation && ex.response && documentedResponse(ex)),
  run(ex) {
    const { key, response } = documentedResponse(ex)!;
    const rule = `${ex.operation!.pointer}/responses/${key}`;
    const { content, optional } = documentedContent(response);
    const documented = Object.keys(content);
    const body = ex.response!.body;
    if (body.length === 0) {
      if (documented.length === 0 || optional || ex.request.method === 'HEAD') return undefined;
      return new CheckFailure('content_type_documented', `${describeExchange(ex)}: body is empty; the contract documents ${documented.join(', ')}`, undefined, rule);
    }
    const actual = mediaType(ex.response!.headers['content-type']);
    if (documented.length === 0) {
      return new CheckFailure('content_type_documented', `${describeExchange(ex)}: ${body.length}-byte body where the contract documents none`, excerpt(body), rule);
    }
    if (!actual) return new CheckFailure('content_type_documented', `${describeExchange(ex)}: body has no Content-Type (documented: ${documented.join(', ')})`, undefined, rule);
    if (documented.some((pattern) => matches(pattern, actual))) return undefined;
    return new CheckFailure('content_type_documented', `${describeExchange(ex)}: Content-Type ${actual} is not documented (documented: ${documented.join(', ')})`, excerpt(body), rule);
  },
});

function excerpt(body: Buffer): string {
  return body.subarray(0, 300).toString('utf8');
}
