import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { OpenApiDocument } from '../../lib/openapi/types.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

/**
 * Validates JSON bodies against schemas addressed by JSON pointer into the (flattened) contract.
 * OpenAPI 3.1 schemas are JSON Schema 2020-12, so Ajv reads them as they are; OpenAPI-only
 * keywords (`example`, `discriminator`, `xml`) are annotations and ignored.
 */
export class SchemaValidator {
  private readonly ajv: Ajv2020;
  private readonly compiled = new Map<string, ValidateFunction>();
  private pinnedView?: SchemaValidator;

  constructor(private readonly doc: OpenApiDocument) {
    this.ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false, validateFormats: true });
    addFormats(this.ajv);
    for (const format of ['binary', 'int32', 'int64', 'float', 'double', 'password']) this.ajv.addFormat(format, true);
    this.ajv.addFormat('byte', /^[A-Za-z0-9+/]*={0,2}$/);
    this.ajv.addSchema(doc as object, 'contract');
  }

  /**
   * The contract with every schema marked `x-attachkit-assumed` replaced by `{}`: only what the
   * vendor's docs or source pin. A body that passes it but not the full contract breaks an
   * assumption, not the vendor's word.
   */
  get pinned(): SchemaValidator {
    this.pinnedView ??= new SchemaValidator(withoutAssumptions(this.doc) as OpenApiDocument);
    return this.pinnedView;
  }

  /**
   * Validates against a schema object taken from the contract (local `#/…` references are read
   * against the contract). Used to keep only negative cases the contract really forbids.
   */
  validateAgainst(schema: unknown, value: unknown): string[] {
    const key = JSON.stringify(schema);
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.ajv.compile(rebase(schema) as object);
      this.compiled.set(key, validate);
    }
    return validate(value) ? [] : summarise(validate.errors ?? []);
  }

  /** Errors as one-line strings (`/records/0/id must be string`); empty when valid. */
  validate(pointer: string, value: unknown): string[] {
    let validate = this.compiled.get(pointer);
    if (!validate) {
      validate = this.ajv.compile({ $ref: `contract${pointer}` });
      this.compiled.set(pointer, validate);
    }
    return validate(value) ? [] : summarise(validate.errors ?? []);
  }
}

function withoutAssumptions(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutAssumptions);
  if (typeof node !== 'object' || node === null) return node;
  if ('x-attachkit-assumed' in node) return {};
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, withoutAssumptions(v)]));
}

function rebase(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(rebase);
  if (typeof schema !== 'object' || schema === null) return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' && v.startsWith('#/') ? `contract${v}` : rebase(v)]),
  );
}

function summarise(errors: ErrorObject[]): string[] {
  // anyOf/oneOf produce one error per branch plus a summary; keep the summary and leaf errors.
  const lines = errors.map((e) => {
    const at = e.instancePath || '/';
    const extra = e.keyword === 'additionalProperties' ? ` '${(e.params as { additionalProperty: string }).additionalProperty}'` : '';
    return `${at} ${e.message ?? e.keyword}${extra}`;
  });
  return [...new Set(lines)];
}
