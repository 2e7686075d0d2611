import { resolveRef } from '../../lib/openapi/resolve-ref.ts';
import type { OpenApiDocument } from '../../lib/openapi/types.ts';

export type SchemaObject = Record<string, unknown>;

export interface ObjectShape {
  properties: Map<string, SchemaObject>;
  /** Required in every variant the schema allows. */
  required: Set<string>;
}

export function resolveSchema(doc: OpenApiDocument, schema: unknown): SchemaObject {
  if (typeof schema !== 'object' || schema === null) return {};
  return resolveRef<SchemaObject>(doc, schema as SchemaObject);
}

/**
 * The top-level properties of an object schema, through $ref, allOf (all apply) and
 * anyOf/oneOf (a property is required only if every variant requires it).
 */
export function objectShape(doc: OpenApiDocument, raw: unknown): ObjectShape {
  const schema = resolveSchema(doc, raw);
  const shape: ObjectShape = { properties: new Map(), required: new Set() };
  const addProperties = (from: ObjectShape) => {
    for (const [name, property] of from.properties) if (!shape.properties.has(name)) shape.properties.set(name, property);
  };
  for (const [name, property] of Object.entries((schema.properties ?? {}) as Record<string, unknown>)) {
    shape.properties.set(name, resolveSchema(doc, property));
  }
  for (const name of (schema.required ?? []) as string[]) shape.required.add(name);
  for (const part of (schema.allOf ?? []) as unknown[]) {
    const sub = objectShape(doc, part);
    addProperties(sub);
    for (const name of sub.required) shape.required.add(name);
  }
  const variants = [...((schema.anyOf ?? []) as unknown[]), ...((schema.oneOf ?? []) as unknown[])].map((v) => objectShape(doc, v));
  for (const variant of variants) addProperties(variant);
  if (variants.length) {
    for (const name of variants[0].required) if (variants.every((v) => v.required.has(name))) shape.required.add(name);
  }
  return shape;
}

export function allowedTypes(schema: SchemaObject): string[] {
  const type = schema.type;
  return Array.isArray(type) ? (type as string[]) : typeof type === 'string' ? [type] : [];
}
