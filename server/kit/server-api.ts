import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { IndexedOperation, OperationIndex } from '../../lib/openapi/operation-index.ts';
import type { Migration, Store } from '../store/store.ts';
import type { Workspace } from '../store/workspace.ts';
import type { ApiError, ErrorDialect } from './api-error.ts';
import type { ServerConfig } from './server-config.ts';

export interface Principal {
  user: string;
  isAdmin: boolean;
}

/** What an API's start-up, body parsers and banner may touch. One per API per app. */
export interface ApiContext {
  api: string;
  /** The API's contract, flattened (paths carry their base path). */
  contract: OperationIndex;
  /**
   * The whole store, every workspace: body parsers write blob bytes through it. Records are read
   * and written through a request's workspace (`RequestContext.ws`), never here.
   */
  store: Store;
  /** Opens (creating and seeding on first use) the workspace a request addresses. */
  workspaces: WorkspaceOpener;
  config: ServerConfig;
  /** Named deliberate contract violations switched on for this run (mutation testing). */
  faults: ReadonlySet<string>;
  /**
   * A credential the server accepts, by the registry's flag name: its environment variable, else
   * the development default. An API reads its own credentials here, never by looking itself up.
   */
  credential(flag: string): string;
  /**
   * Absolute URL of the site root as the client reached it, workspace prefix included (for links
   * such as viewUrl).
   */
  siteUrl(req: Request): string;
}

export interface WorkspaceOpener {
  open(name: string): Promise<Workspace>;
}

/** What a handler and authentication may touch: the API's context plus the request's workspace. */
export interface RequestContext extends ApiContext {
  /**
   * The workspace the request addresses (`/ws/<name>/…`, else the default one). Opened (created
   * and seeded) once authentication passed; an open operation's handler that writes to it opens
   * it first (`workspaces.open(ws.name)`), and only once the request's credentials are right.
   */
  ws: Workspace;
}

export interface RequestState {
  operation: IndexedOperation;
  /** Path parameters by name, decoded, from the contract's path template. */
  params: Record<string, string>;
  principal?: Principal;
  /** Set by resolveOperation, before authentication; its workspace opened by authenticate. */
  ctx: RequestContext;
}

export type OperationHandler = (req: Request, res: Response, ctx: RequestContext) => Promise<void> | void;

/** A deliberate, realistic contract violation the reference server can switch on. */
export interface Fault {
  id: string;
  description: string;
}

export interface ServerApi {
  id: string;
  /** Handlers by operationId; an operation with none answers 501 in the API's dialect. */
  handlers: Record<string, OperationHandler>;
  errors: ErrorDialect;
  /**
   * The dialect for one request, when an API answers in more than one (Case IQ's token endpoint
   * speaks OAuth2, its API another shape). Default: `errors`.
   */
  errorsFor?(req: Request, ctx: ApiContext): ErrorDialect;
  /** Checks credentials; throws the dialect's 401 (or resolves the principal). */
  authenticate(req: Request, ctx: RequestContext): Principal | Promise<Principal>;
  /** Body parsers in order; each must skip content types it does not handle. */
  bodyParsers(ctx: ApiContext): RequestHandler[];
  /**
   * How the vendor answers JSON, when it differs from Express's `application/json; charset=utf-8`
   * (EspoCRM sends exactly `application/json`, and its PHP client parses nothing else).
   */
  jsonMediaType?: string;
  /**
   * Set when the vendor ignores query parameters it does not know (it binds only its own): why,
   * naming the vendor's source. Such parameters are then dropped before validation, as a
   * departure (a warning; `--strict` refuses them). Unset: the validator refuses them.
   */
  ignoresUnknownQueryParameters?: string;
  /**
   * How the vendor reads a body whose media type the operation does not declare (after the body
   * parsers ran): the body it sees, the declared media type that body now stands for, and a
   * sentence saying what the vendor does (naming its source). Undefined: the validator refuses.
   */
  readUndeclaredBody?(req: Request, operation: IndexedOperation, mediaType: string): VendorBody | undefined;
  /**
   * The vendor's own answer to a request the contract's validator refused (EspoCRM names the
   * first failing field in its entityDefs order). Undefined: the dialect's generic invalidRequest.
   */
  contractViolation?(errors: ValidationItem[], req: Request, res: Response, ctx: ApiContext): ApiError | undefined;
  migrations: Migration[];
  /**
   * The API's tables that hold a workspace's rows, children before parents: removing a workspace
   * (`--workspace-ttl`) deletes its rows from each, in this order.
   */
  workspaceTables: string[];
  /**
   * Start-up repair: removes the workspace's records whose claimed blobs (`keys`) have no bytes
   * any more, and forgets those blobs, in one transaction; returns how many records went.
   */
  dropRecordsWithoutBytes(ws: Workspace, keys: string[]): Promise<number>;
  /** Idempotent data every workspace starts with (seeded records); may run on several instances at once. */
  seed?(ws: Workspace, ctx: ApiContext): Promise<void>;
  /** Extra lines `attachkit serve` prints under the API's base URL (credentials, seeded ids). */
  banner(ctx: ApiContext): string[];
  faults: Fault[];
  /**
   * Steps put at the head of the pipeline while any fault is on: deployment-level faults (a proxy
   * stripping a header, an HTML error page) that wrap the response rather than live in handlers.
   */
  faultMiddleware?(ctx: ApiContext): Middleware[];
}

export interface VendorBody {
  body: unknown;
  mediaType: string;
  message: string;
}

/** One finding of the request validator (express-openapi-validator's `errors[]`). */
export interface ValidationItem {
  /** `/body/name`, `/query/maxSize`, … */
  path?: string;
  message?: string;
  /** `required.openapi.validation`, `pattern.openapi.validation`, … */
  errorCode?: string;
}

export type Middleware = (req: Request, res: Response, next: NextFunction) => void | Promise<void>;

/** The dialect that answers this request. */
export function dialectOf(api: ServerApi, req: Request, ctx: ApiContext): ErrorDialect {
  return api.errorsFor?.(req, ctx) ?? api.errors;
}

export function requestState(res: Response): RequestState {
  const state = res.locals.attachkit as RequestState | undefined;
  if (!state) throw new Error('request state missing: resolveOperation did not run');
  return state;
}

/** A path parameter of the matched operation (handlers are not Express routes, so req.params is empty). */
export function pathParam(res: Response, name: string): string {
  const value = requestState(res).params[name];
  if (value === undefined) throw new Error(`operation ${requestState(res).operation.operationId} has no path parameter ${name}`);
  return value;
}
