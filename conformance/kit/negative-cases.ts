import type { IndexedOperation } from '../../lib/openapi/operation-index.ts';
import type { OpenApiDocument, ParameterObject } from '../../lib/openapi/types.ts';
import { bodyOptions, exampleRequest } from './example-requests.ts';
import { allowedTypes, objectShape, resolveSchema, type SchemaObject } from './schema-shape.ts';
import type { SchemaValidator } from './schema-validator.ts';
import type { CallOptions } from './session.ts';

export type NegativeKind = 'required' | 'type' | 'pattern' | 'enum' | 'length' | 'range' | 'format' | 'content-type' | 'binary-as-text';

export interface NegativeCase {
  kind: NegativeKind;
  /** What is invalid: `body.name`, `query.limit`, `path.entityid`; absent for the Content-Type case. */
  field?: string;
  /** Names the case in reports: `body.name: required property dropped`. */
  description: string;
  options: CallOptions;
}

interface Mutation {
  kind: NegativeKind;
  what: string;
  value: unknown;
}

const typeSamples: Array<[string, unknown]> = [
  ['integer', 12345],
  ['string', 'attachkit'],
  ['boolean', true],
  ['object', { attachkit: true }],
  ['array', ['attachkit']],
];

/** Values that break one constraint of a schema. Each is later confirmed against the contract. */
function mutationsFor(schema: SchemaObject, options: { typed: boolean }): Mutation[] {
  const out: Mutation[] = [];
  const types = allowedTypes(schema);
  if (options.typed && types.length) {
    const numeric = types.includes('number') || types.includes('integer');
    const sample = typeSamples.find(([type]) => !types.includes(type) && !(numeric && (type === 'integer' || type === 'number')));
    if (sample) out.push({ kind: 'type', what: `${/^[aeiou]/.test(sample[0]) ? 'an' : 'a'} ${sample[0]} where ${types.join('|')} is expected`, value: sample[1] });
  }
  if (typeof schema.pattern === 'string') {
    const pattern = new RegExp(schema.pattern, 'u');
    const bad = ['', '!!!', ' ', '\u0000', 'x'.repeat(300)].find((candidate) => !pattern.test(candidate));
    if (bad !== undefined) out.push({ kind: 'pattern', what: `${JSON.stringify(bad.slice(0, 20))} against pattern ${schema.pattern}`, value: bad });
  }
  if (Array.isArray(schema.enum)) out.push({ kind: 'enum', what: 'a value outside the enum', value: 'attachkit-not-in-enum' });
  if (schema.const !== undefined) out.push({ kind: 'enum', what: `a value other than the const ${JSON.stringify(schema.const)}`, value: typeof schema.const === 'boolean' ? !schema.const : 'attachkit-not-const' });
  if (typeof schema.maxLength === 'number') out.push({ kind: 'length', what: `${schema.maxLength + 1} characters (maxLength ${schema.maxLength})`, value: 'x'.repeat(schema.maxLength + 1) });
  if (typeof schema.minLength === 'number' && schema.minLength > 0) out.push({ kind: 'length', what: `an empty string (minLength ${schema.minLength})`, value: '' });
  if (typeof schema.minimum === 'number') out.push({ kind: 'range', what: `${schema.minimum - 1} (minimum ${schema.minimum})`, value: schema.minimum - 1 });
  if (typeof schema.maximum === 'number') out.push({ kind: 'range', what: `${schema.maximum + 1} (maximum ${schema.maximum})`, value: schema.maximum + 1 });
  if (typeof schema.exclusiveMinimum === 'number') out.push({ kind: 'range', what: `${schema.exclusiveMinimum} (exclusiveMinimum)`, value: schema.exclusiveMinimum });
  if (schema.format === 'uuid') out.push({ kind: 'format', what: 'a string that is not a UUID', value: 'not-a-uuid' });
  return out;
}

/** Kinds the vendor is documented not to enforce (`x-attachkit-lenient` on the document or operation). */
function lenientKinds(doc: OpenApiDocument, operation: IndexedOperation): Set<string> {
  const root = (doc['x-attachkit-lenient'] ?? []) as string[];
  const own = (operation.operation['x-attachkit-lenient'] ?? []) as string[];
  return new Set([...root, ...own]);
}

/** Coerces a URL parameter's text the way servers read it, so the contract can judge it. */
function asParameterValue(schema: SchemaObject, value: unknown, parameter?: ParameterObject): unknown {
  const types = allowedTypes(schema);
  if ((types.includes('integer') || types.includes('number')) && typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
  // An array parameter's text is a list: comma-separated (explode: false), else one item per repetition.
  if (types.includes('array') && typeof value === 'string') return (parameter as { explode?: boolean } | undefined)?.explode === false ? value.split(',') : [value];
  return value;
}

/**
 * Invalid requests for one operation, derived from its schemas and its example request. A case is
 * kept only when the contract's own schema rejects it, so "must be refused" is always something the
 * contract promises. Deterministic for a seed; at most `limit` cases, spread across kinds.
 */
export function negativeCases(doc: OpenApiDocument, operation: IndexedOperation, validator: SchemaValidator, options: { seed: number; limit: number }): NegativeCase[] {
  const base = exampleRequest(doc, operation);
  const lenient = lenientKinds(doc, operation);
  const cases: NegativeCase[] = [];

  for (const parameter of operation.parameters as ParameterObject[]) {
    if (parameter.in !== 'path' && parameter.in !== 'query') continue;
    const schema = resolveSchema(doc, parameter.schema);
    const where = parameter.in === 'path' ? 'path' : 'query';
    if (parameter.in === 'query' && parameter.required) {
      const query = { ...base.query };
      delete query[parameter.name];
      cases.push({ kind: 'required', field: `query.${parameter.name}`, description: `query ${parameter.name}: required parameter dropped`, options: { ...base, query } });
    }
    for (const mutation of mutationsFor(schema, { typed: true })) {
      const text = typeof mutation.value === 'object' ? JSON.stringify(mutation.value) : String(mutation.value);
      if (validator.validateAgainst(schema, asParameterValue(schema, text, parameter)).length === 0) continue;
      if (parameter.in === 'path' && text === '') continue; // an empty segment addresses another route
      const options: CallOptions =
        where === 'path' ? { ...base, path: { ...base.path, [parameter.name]: text } } : { ...base, query: { ...base.query, [parameter.name]: text } };
      cases.push({ kind: mutation.kind, field: `${where}.${parameter.name}`, description: `${where} ${parameter.name}: ${mutation.what}`, options });
    }
  }

  const body = operation.requestBody;
  if (body) {
    const [contentType, media] = Object.entries(body.content)[0];
    const form = contentType === 'multipart/form-data' || contentType === 'application/x-www-form-urlencoded';
    const example = (base.json ?? exampleBodyValue(doc, operation)) as Record<string, unknown> | undefined;
    if (media.schema && example && typeof example === 'object' && !Array.isArray(example)) {
      const shape = objectShape(doc, media.schema);
      const send = (value: Record<string, unknown>) => ({ ...base, json: undefined, form: undefined, text: undefined, bytes: undefined, ...bodyOptions(doc, contentType, media, value) });
      // Forms carry text, so only constraints on strings survive the encoding.
      const asSent = (value: Record<string, unknown>) => (form ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, Array.isArray(v) ? v.map(String) : String(v)])) : value);
      for (const name of shape.required) {
        const value = { ...example };
        delete value[name];
        if (validator.validateAgainst(media.schema, asSent(value)).length) {
          cases.push({ kind: 'required', field: `body.${name}`, description: `body.${name}: required property dropped`, options: send(value) });
        }
      }
      for (const [name, schema] of shape.properties) {
        if (form && (schema.format === 'binary' || schema.contentMediaType !== undefined)) continue;
        for (const mutation of mutationsFor(schema, { typed: !form })) {
          const value = { ...example, [name]: mutation.value };
          if (validator.validateAgainst(media.schema, asSent(value)).length === 0) continue;
          cases.push({ kind: mutation.kind, field: `body.${name}`, description: `body.${name}: ${mutation.what}`, options: send(value) });
        }
      }
      if (contentType === 'multipart/form-data') {
        for (const [name, schema] of shape.properties) {
          if (schema.format !== 'binary' && schema.contentMediaType === undefined) continue;
          const textForm = new FormData();
          for (const [k, v] of Object.entries(example)) if (k !== name) for (const item of Array.isArray(v) ? v : [v]) textForm.append(k, String(item));
          textForm.append(name, 'a text value where a file belongs');
          cases.push({ kind: 'binary-as-text', field: `body.${name}`, description: `body.${name}: a text part where the binary file belongs`, options: { ...base, form: textForm } });
        }
      }
    }
    const documented = Object.keys(body.content).map((k) => k.toLowerCase());
    if (!documented.some((k) => k === '*/*' || k.endsWith('/*'))) {
      cases.push({
        kind: 'content-type',
        description: `Content-Type application/x-attachkit-unsupported (documented: ${documented.join(', ')})`,
        options: { ...base, json: undefined, form: undefined, bytes: undefined, text: JSON.stringify(example ?? {}), contentType: 'application/x-attachkit-unsupported' },
      });
    }
  }

  return spread(cases.filter((c) => !lenient.has(c.kind)), options);
}

function exampleBodyValue(doc: OpenApiDocument, operation: IndexedOperation): unknown {
  const media = Object.values(operation.requestBody?.content ?? {})[0];
  const first = Object.values(media?.examples ?? {})[0];
  return first ? resolveSchema(doc, first).value : media?.example;
}

/** Seeded selection that keeps every kind represented before repeating one. */
function spread(cases: NegativeCase[], options: { seed: number; limit: number }): NegativeCase[] {
  const random = mulberry32(options.seed);
  const byKind = new Map<string, NegativeCase[]>();
  for (const c of cases) byKind.set(c.kind, [...(byKind.get(c.kind) ?? []), c]);
  for (const list of byKind.values()) list.sort(() => random() - 0.5);
  const picked: NegativeCase[] = [];
  while (picked.length < options.limit && [...byKind.values()].some((l) => l.length)) {
    for (const list of byKind.values()) if (list.length && picked.length < options.limit) picked.push(list.shift()!);
  }
  return picked;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
