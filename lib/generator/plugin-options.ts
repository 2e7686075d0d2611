/**
 * Options for hey-api's own plugins that make the generated SDK and zod schemas follow the
 * contract where the plugins' defaults do not (@hey-api/openapi-ts 0.95.0):
 *
 * - SDK, binary downloads: the fetch client picks the parser from the response's Content-Type, so
 *   a `.txt` download came back as a string (non-UTF-8 bytes corrupted) and a `.json` one as an
 *   object, while the type says Blob. Operations whose success responses are all binary get
 *   `parseAs: 'blob'` (a caller may still pass its own, e.g. 'stream').
 * - SDK, multipart bodies: the default serializer appends the caller's keys in the caller's order
 *   under the property names. The contract says more: a part's wire name
 *   (`encoding.<prop>.x-multipart-field-name`, Case IQ's `bulkTags[]`) and that file parts come
 *   last (Case IQ refuses a body whose file is not the last part). These operations get a
 *   serializer that hands hey-api's one the contract's properties in that order and with those
 *   names.
 * - zod: `format: binary` becomes `z.instanceof(Blob)` (a File is a Blob) instead of `z.string()`;
 *   `format: int64` becomes `z.int()` instead of a bigint coercion, which broke every object that
 *   is part of an intersection (`Unmergable intersection`: one side yields a number, the other a
 *   bigint) and contradicted the generated type (`number`).
 *
 * Both are plugin options (`~hooks` of @hey-api/sdk, `~resolvers` of zod), so generated/ is still
 * only ever written by `npm run generate`.
 */
import { $ } from '@hey-api/openapi-ts';
import { resolveRef } from '../openapi/resolve-ref.ts';
import type { IndexedOperation, OperationIndex } from '../openapi/operation-index.ts';
import type { JsonSchema, MediaTypeObject, OpenApiDocument } from '../openapi/types.ts';

type Schema = Record<string, unknown>;

/** A DSL node of hey-api's TypeScript builder, as far as these hooks look into it. */
interface DslNode {
  '~dsl'?: string;
  _props?: Map<string, unknown>;
  symbol?: { meta?: { resource?: string; resourceId?: string } };
  [key: string]: unknown;
}

export function isBinarySchema(doc: OpenApiDocument, schema: JsonSchema | undefined): boolean {
  if (!schema || typeof schema !== 'object') return false;
  const resolved = resolveRef<Schema>(doc, schema as Schema);
  return resolved.format === 'binary' || typeof resolved.contentMediaType === 'string';
}

/** Every 2xx response with a body carries a binary schema (a file download). */
export function hasBinaryResponse(doc: OpenApiDocument, operation: IndexedOperation): boolean {
  const bodies = Object.entries(operation.responses)
    .filter(([status]) => /^2/.test(status))
    .flatMap(([, response]) => Object.values(response.content ?? {}));
  return bodies.length > 0 && bodies.every((media) => isBinarySchema(doc, media.schema));
}

export interface MultipartPart {
  property: string;
  /** The part's name on the wire. */
  field: string;
  binary: boolean;
}

/** The multipart body's parts as the contract orders them: text parts in schema order, then file parts. */
export function multipartParts(doc: OpenApiDocument, operation: IndexedOperation): MultipartPart[] | undefined {
  const media = operation.requestBody?.content?.['multipart/form-data'] as MediaTypeObject | undefined;
  if (!media?.schema) return undefined;
  const schema = resolveRef<Schema>(doc, media.schema as Schema);
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const encoding = (media.encoding ?? {}) as Record<string, Record<string, unknown>>;
  const parts = Object.entries(properties).map(([property, propertySchema]) => {
    const resolved = resolveRef<Schema>(doc, propertySchema as Schema);
    const items = resolved.type === 'array' ? (resolved.items as JsonSchema) : undefined;
    return {
      property,
      field: typeof encoding[property]?.['x-multipart-field-name'] === 'string' ? (encoding[property]['x-multipart-field-name'] as string) : property,
      binary: isBinarySchema(doc, propertySchema) || isBinarySchema(doc, items),
    };
  });
  return [...parts.filter((p) => !p.binary), ...parts.filter((p) => p.binary)];
}

/** Depth-first search of a DSL tree (through values, statements, call arguments and references). */
function findObject(node: unknown, test: (object: DslNode) => boolean, seen = new Set<unknown>()): DslNode | undefined {
  if (!node || typeof node !== 'object' || seen.has(node)) return undefined;
  seen.add(node);
  const dsl = node as DslNode;
  if (dsl['~dsl'] === 'ObjectTsDsl' && test(dsl)) return dsl;
  for (const key of ['~ref', 'value', '_value', '_do', '_returnExpr', '_args', '_exprInput']) {
    const child = dsl[key];
    const children = Array.isArray(child) ? child : [child];
    for (const c of children) {
      const found = findObject(c, test, seen);
      if (found) return found;
    }
  }
  return undefined;
}

/** Re-inserts `key` (already set) right after `after`, so it stays ahead of the caller's `...options`. */
function moveAfter(props: Map<string, unknown>, key: string, after: string): Map<string, unknown> {
  const value = props.get(key);
  const entries = [...props].filter(([k]) => k !== key);
  const at = entries.findIndex(([k]) => k === after);
  entries.splice(at + 1, 0, [key, value]);
  return new Map(entries);
}

interface SdkPluginInstance {
  external(resource: string): unknown;
}

/** `'~hooks'` for @hey-api/sdk: edits each operation's request options before the code is printed. */
export function sdkHooks(contract: OperationIndex) {
  return {
    events: {
      'node:set:before': ({ node, plugin }: { node: DslNode | null; plugin: SdkPluginInstance }) => {
        const meta = node?.symbol?.meta;
        if (!node || node['~dsl'] !== 'VarTsDsl' || meta?.resource !== 'operation' || !meta.resourceId) return;
        const operation = contract.get(meta.resourceId);
        const options = findObject(node.value, (object) => object._props?.has('prop:url') === true);
        if (!options?._props) throw new Error(`generator: no request options found for ${operation.operationId}`);
        const object = options as unknown as ReturnType<typeof $.object>;

        if (hasBinaryResponse(contract.doc, operation)) {
          object.prop('parseAs', $.literal('blob'));
          options._props = moveAfter(options._props, 'prop:parseAs', 'prop:url');
        }

        const parts = multipartParts(contract.doc, operation);
        if (parts) {
          const spread = [...options._props.keys()].find((k) => k.startsWith('spread:'));
          if (!spread) throw new Error(`generator: ${operation.operationId} has no form-data serializer to replace`);
          const ordered = $.object();
          for (const part of parts) ordered.prop(part.field, $('body').attr(part.property));
          const serializer = $.func()
            // The client's BodySerializer takes `unknown`; the SDK function's own type already checked the body.
            .param('body', (p) => p.type($.type('any')))
            .do($(plugin.external('client.formDataBodySerializer') as never).attr('bodySerializer').call(ordered).return());
          object.prop('bodySerializer', serializer);
          const entries = [...options._props].filter(([k]) => k !== 'prop:bodySerializer').map(([k, v]) => (k === spread ? ['prop:bodySerializer', options._props!.get('prop:bodySerializer')] : [k, v]));
          options._props = new Map(entries as Array<[string, unknown]>);
        }
      },
    },
  };
}

interface ZodResolverContext {
  schema: Schema;
  symbols: { z: unknown };
}

/** `'~resolvers'` for the zod plugin. */
export const zodResolvers = {
  string: (ctx: ZodResolverContext) => (ctx.schema.format === 'binary' ? $(ctx.symbols.z as never).attr('instanceof').call($('Blob')) : undefined),
  number: (ctx: ZodResolverContext) => (ctx.schema.format === 'int64' ? $(ctx.symbols.z as never).attr('int').call() : undefined),
};
