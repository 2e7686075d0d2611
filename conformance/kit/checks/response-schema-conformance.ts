import { isJsonMediaType, mediaType } from '../exchange.ts';
import { pointer } from '../../../lib/openapi/resolve-ref.ts';
import { defineCheck, CheckFailure, describeExchange, documentedContent, documentedResponse } from './check.ts';

/**
 * A JSON body validates against the schema documented for its status and media type. Breaking a
 * part marked `x-attachkit-assumed` (and nothing else) is an observation.
 */
export const responseSchemaConformance = defineCheck({
  name: 'response_schema_conformance',
  description: 'a JSON response body matches the schema documented for its status and media type',
  applies(ex) {
    if (!ex.operation || !ex.response || ex.response.body.length === 0) return false;
    const type = mediaType(ex.response.headers['content-type']);
    const documented = documentedResponse(ex);
    return isJsonMediaType(type) && Boolean(documented && schemaKey(documentedContent(documented.response).content, type!));
  },
  run(ex, ctx) {
    const { key, response } = documentedResponse(ex)!;
    const type = mediaType(ex.response!.headers['content-type'])!;
    const documented = documentedContent(response);
    const contentKey = schemaKey(documented.content, type)!;
    let body: unknown;
    try {
      body = JSON.parse(ex.response!.body.toString('utf8'));
    } catch {
      return new CheckFailure('response_schema_conformance', `${describeExchange(ex)}: body is not valid JSON`, ex.response!.body.subarray(0, 300).toString('utf8'));
    }
    // Address the schema through the path item so $refs inside resolve against the contract.
    const schemaPointer = `${ex.operation!.pointer}/responses/${key}`;
    const resolved = responseSchemaPointer(ex.operation!.operation.responses[key], schemaPointer, documented.key, contentKey);
    const full = ctx.validator.validate(resolved, body);
    if (full.length === 0) return undefined;
    // Only a body that fails asks whether the vendor-pinned part (assumptions left out) fails too.
    const pinned = ctx.validator.pinned.validate(resolved, body);
    const errors = pinned.length ? pinned : full;
    const more = errors.length > 1 ? ` (+${errors.length - 1} more)` : '';
    if (pinned.length) return new CheckFailure('response_schema_conformance', `${describeExchange(ex)}: body breaks the schema: ${errors[0]}${more}`, errors.join('\n'), resolved);
    return new CheckFailure(
      'response_schema_conformance',
      `${describeExchange(ex)}: body breaks an assumed part of the schema: ${errors[0]}${more}`,
      errors.join('\n'),
      resolved,
      'the broken part of the schema is marked x-attachkit-assumed: neither the vendor\'s docs nor its source settle it',
    );
  },
});

function schemaKey(content: Record<string, { schema?: unknown }>, type: string): string | undefined {
  if (content[type]?.schema !== undefined) return type;
  return Object.keys(content).find((k) => isJsonMediaType(mediaType(k)) && content[k].schema !== undefined);
}

/** Responses may be `$ref`s to components; point at the schema where it really lives. */
function responseSchemaPointer(raw: unknown, fallback: string, contentField: string, contentKey: string): string {
  const ref = (raw as { $ref?: string } | undefined)?.$ref;
  const base = ref && ref.startsWith('#/') ? ref : fallback;
  return `${base}${pointer(contentField, contentKey, 'schema').slice(1)}`;
}
