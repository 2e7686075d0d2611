import type { IndexedOperation } from '../../lib/openapi/operation-index.ts';
import { isRef, resolveRef } from '../../lib/openapi/resolve-ref.ts';
import type { ExampleObject, MediaTypeObject, OpenApiDocument, ParameterObject, ReferenceObject } from '../../lib/openapi/types.ts';
import type { CallOptions } from './session.ts';

/**
 * Requests built from the contract alone: parameter `example`s and named request-body examples.
 * Named examples are fixtures (Microcks-style): the stateless phase replays them, the auth and
 * negative phases start from them.
 */
export interface ExampleResponse {
  status: string;
  name: string;
  mediaType: string;
}

export function parameterValue(doc: OpenApiDocument, parameter: ParameterObject): unknown {
  if (parameter.example !== undefined) return parameter.example;
  const named = Object.values(parameter.examples ?? {})[0];
  if (named) return resolveRef<ExampleObject>(doc, named).value;
  const schema = (parameter.schema && !isRef(parameter.schema) ? parameter.schema : {}) as Record<string, unknown>;
  if (schema.example !== undefined) return schema.example;
  if (Array.isArray(schema.examples) && schema.examples.length) return schema.examples[0];
  if (schema.default !== undefined) return schema.default;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  return schema.type === 'integer' || schema.type === 'number' ? 1 : 'example';
}

function exampleValue(doc: OpenApiDocument, media: MediaTypeObject, name?: string): { name?: string; value: unknown } | undefined {
  const examples = media.examples ?? {};
  const chosen = (name && examples[name] ? name : undefined) ?? Object.keys(examples)[0];
  if (chosen) return { name: chosen, value: resolveRef<ExampleObject>(doc, examples[chosen] as ExampleObject | ReferenceObject).value };
  if (media.example !== undefined) return { value: media.example };
  return undefined;
}

/** Every named response example of the operation, as (status, name) pairs. */
export function responseExamples(doc: OpenApiDocument, operation: IndexedOperation): ExampleResponse[] {
  const pairs: ExampleResponse[] = [];
  for (const [status, response] of Object.entries(operation.responses)) {
    for (const [mediaType, media] of Object.entries(response.content ?? {})) {
      for (const name of Object.keys(media.examples ?? {})) pairs.push({ status, name, mediaType });
    }
  }
  return pairs;
}

/**
 * The request for an operation from its examples; with `exampleName`, the request example of
 * that name when there is one (a success response's example shares its request's name).
 */
export function exampleRequest(doc: OpenApiDocument, operation: IndexedOperation, exampleName?: string): CallOptions {
  const options: CallOptions = { path: {}, query: {}, headers: {} };
  for (const parameter of operation.parameters) {
    const value = parameterValue(doc, parameter);
    if (parameter.in === 'path') options.path![parameter.name] = value as string;
    else if (parameter.in === 'query' && (parameter.required || parameter.example !== undefined)) {
      options.query![parameter.name] = Array.isArray(value) ? value.join(',') : (value as string);
    } else if (parameter.in === 'header' && parameter.required) options.headers![parameter.name] = String(value);
  }
  const body = operation.requestBody;
  if (!body) return options;
  const [contentType, media] = Object.entries(body.content)[0];
  const example = exampleValue(doc, media, exampleName);
  if (!example) return options;
  return { ...options, ...bodyOptions(doc, contentType, media, example.value) };
}

export function bodyOptions(doc: OpenApiDocument, contentType: string, media: MediaTypeObject, value: unknown): CallOptions {
  const type = contentType.toLowerCase();
  if (type === 'application/json' || type.endsWith('+json')) return { json: value, contentType };
  if (type === 'multipart/form-data') return { form: toFormData(doc, media, value as Record<string, unknown>) };
  if (type === 'application/x-www-form-urlencoded') {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries((value ?? {}) as Record<string, unknown>)) params.append(k, String(v));
    return { text: params.toString(), contentType: type };
  }
  if (type.startsWith('text/')) return { text: String(value ?? ''), contentType: type };
  const bytes = Buffer.from(typeof value === 'string' ? value : JSON.stringify(value ?? ''));
  return { bytes, contentType: type.includes('*') ? 'application/octet-stream' : type };
}

/**
 * Form fields in schema order with binary parts last (Case IQ requires the file last), array
 * values repeated under the encoding's `x-multipart-field-name` (e.g. `bulkTags[]`).
 */
export function toFormData(doc: OpenApiDocument, media: MediaTypeObject, value: Record<string, unknown>): FormData {
  const schema = media.schema ? resolveRef<Record<string, unknown>>(doc, media.schema as never) : {};
  const properties = (schema.properties ?? {}) as Record<string, unknown>;
  const isBinary = (name: string) => {
    const property = properties[name] ? resolveRef<Record<string, unknown>>(doc, properties[name] as never) : {};
    return property.format === 'binary' || property.contentMediaType !== undefined;
  };
  const encoding = (media.encoding ?? {}) as Record<string, Record<string, unknown>>;
  const form = new FormData();
  const names = Object.keys(value ?? {}).sort((a, b) => Number(isBinary(a)) - Number(isBinary(b)));
  for (const name of names) {
    const fieldName = (encoding[name]?.['x-multipart-field-name'] as string | undefined) ?? name;
    const raw = value[name];
    if (isBinary(name)) {
      const contentType = (encoding[name]?.contentType as string | undefined)?.split(',')[0].trim() ?? 'application/octet-stream';
      form.append(fieldName, new Blob([String(raw ?? '')], { type: contentType.includes('*') ? 'application/octet-stream' : contentType }), 'example.txt');
    } else {
      for (const item of Array.isArray(raw) ? raw : [raw]) form.append(fieldName, String(item));
    }
  }
  return form;
}
