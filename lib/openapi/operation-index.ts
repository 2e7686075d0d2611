import { flattenServers } from './flatten-servers.ts';
import { pointer, resolveRef } from './resolve-ref.ts';
import {
  httpMethods,
  type HttpMethod,
  type OpenApiDocument,
  type OperationObject,
  type ParameterObject,
  type RequestBodyObject,
  type ResponseObject,
} from './types.ts';

export interface IndexedOperation {
  operationId: string;
  method: HttpMethod;
  /** Flattened path template, relative to the site root: `/api/v1/Attachment/{id}`. */
  path: string;
  /** JSON pointer of the operation in the flattened document (for error messages and Ajv refs). */
  pointer: string;
  operation: OperationObject;
  parameters: ParameterObject[];
  requestBody?: RequestBodyObject;
  responses: Record<string, ResponseObject>;
  /** True when the operation is open (`security: []`). */
  open: boolean;
  matcher: RegExp;
  literalSegments: number;
}

export interface OperationMatch {
  operation: IndexedOperation;
  params: Record<string, string>;
}

/** Every operation of a contract, addressable by operationId or by (method, path). */
export class OperationIndex {
  readonly doc: OpenApiDocument;
  readonly operations: IndexedOperation[];
  private readonly byId = new Map<string, IndexedOperation>();

  constructor(source: OpenApiDocument) {
    this.doc = flattenServers(source).doc;
    this.operations = [];
    for (const [path, item] of Object.entries(this.doc.paths)) {
      for (const method of httpMethods) {
        const operation = item[method];
        if (!operation) continue;
        if (!operation.operationId) throw new Error(`${method.toUpperCase()} ${path} has no operationId`);
        const parameters = new Map<string, ParameterObject>();
        for (const p of [...(item.parameters ?? []), ...(operation.parameters ?? [])]) {
          const resolved = resolveRef<ParameterObject>(this.doc, p);
          parameters.set(`${resolved.in}:${resolved.name}`, resolved);
        }
        const responses: Record<string, ResponseObject> = {};
        for (const [status, response] of Object.entries(operation.responses ?? {})) {
          responses[status] = resolveRef<ResponseObject>(this.doc, response);
        }
        const security = operation.security ?? this.doc.security ?? [];
        const indexed: IndexedOperation = {
          operationId: operation.operationId,
          method,
          path,
          pointer: pointer('paths', path, method),
          operation,
          parameters: [...parameters.values()],
          requestBody: operation.requestBody ? resolveRef<RequestBodyObject>(this.doc, operation.requestBody) : undefined,
          responses,
          open: security.length === 0 || security.some((requirement) => Object.keys(requirement).length === 0),
          ...compileTemplate(path),
        };
        this.operations.push(indexed);
        this.byId.set(indexed.operationId, indexed);
      }
    }
    // Literal segments win over templated ones (`/Attachment/file/{id}` before `/Attachment/{id}/{x}`),
    // then templates with more literal text (`/files/{id}.json` before `/files/{id}`, which would
    // also match `5.json`), whatever the document order.
    this.operations.sort((a, b) => b.literalSegments - a.literalSegments || literalLength(b.path) - literalLength(a.path));
  }

  get(operationId: string): IndexedOperation {
    const found = this.byId.get(operationId);
    if (!found) throw new Error(`unknown operationId ${operationId}`);
    return found;
  }

  has(operationId: string): boolean {
    return this.byId.has(operationId);
  }

  /** The operation a request addresses; `path` is relative to the site root. */
  match(method: string, path: string): OperationMatch | undefined {
    const lower = method.toLowerCase();
    for (const operation of this.operations) {
      if (operation.method !== lower) continue;
      const m = operation.matcher.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      for (const [name, value] of Object.entries(m.groups ?? {})) params[decodeName(name)] = decodeURIComponent(value);
      return { operation, params };
    }
    return undefined;
  }

  /** Fills a path template: `/api/v1/Attachment/{id}` + {id: 'x'} → `/api/v1/Attachment/x`. */
  static fill(path: string, params: Record<string, string | number>): string {
    return path.replace(/\{([^}]+)\}/g, (_, name: string) => {
      if (!(name in params)) throw new Error(`missing path parameter ${name} for ${path}`);
      return encodeURIComponent(String(params[name]));
    });
  }
}

// Named groups must be identifiers; parameter names may not be (e.g. `entity-id`).
function encodeName(name: string): string {
  return `p_${Buffer.from(name).toString('hex')}`;
}

function decodeName(group: string): string {
  return Buffer.from(group.slice(2), 'hex').toString();
}

function literalLength(path: string): number {
  return path.replace(/\{[^}]+\}/g, '').length;
}

function compileTemplate(path: string): { matcher: RegExp; literalSegments: number } {
  let literalSegments = 0;
  const source = path
    .split('/')
    .map((segment) => {
      if (!segment.includes('{')) literalSegments++;
      return segment
        .split(/(\{[^}]+\})/)
        .map((part) =>
          part.startsWith('{') ? `(?<${encodeName(part.slice(1, -1))}>[^/]+)` : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
        )
        .join('');
    })
    .join('/');
  return { matcher: new RegExp(`^${source}/?$`), literalSegments };
}
