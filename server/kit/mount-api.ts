import express, { type NextFunction, type Request, type Response } from 'express';
import * as OpenApiValidator from 'express-openapi-validator';
import type { OpenApiDocument } from '../../lib/openapi/types.ts';
import { ApiError } from './api-error.ts';
import { drainUnreadBody } from './http-server.ts';
import { isStoreUnavailable } from '../store/unavailable.ts';
import { toApiError } from './to-api-error.ts';
import { releaseUploads } from './upload-scope.ts';
import { writeError } from './write-error.ts';
import { dialectOf, requestState, type ApiContext, type RequestState, type ServerApi, type ValidationItem } from './server-api.ts';
import { answerJsonAsVendor, readBodyAsVendor, readQueryAsVendor } from './vendor-reading.ts';
import { workspaceRouteOf } from './workspace-route.ts';

/**
 * One API's sub-app. The middleware order is fixed and every step is a named function, so a
 * stack trace reads as the pipeline:
 *   answerJsonAsVendor → resolveOperation → authenticate (+ opens the request's workspace) →
 *   readQueryAsVendor → body parsers → readBodyAsVendor → validateRequest (+ arms response
 *   validation) → dispatchToHandler → writeApiError
 */
export function createApiApp(api: ServerApi, ctx: ApiContext, flatDoc: OpenApiDocument): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'extended');

  if (ctx.faults.size) for (const step of api.faultMiddleware?.(ctx) ?? []) app.use(step);
  if (api.jsonMediaType) app.use(answerJsonAsVendor(api.jsonMediaType));

  app.use(async function resolveOperation(req: Request, res: Response, next: NextFunction) {
    const path = req.baseUrl + req.path;
    const match = ctx.contract.match(req.method, path);
    const state = { operation: match?.operation, params: match?.params ?? {} } as RequestState;
    res.locals.attachkit = state;
    // Not opened yet: authentication only reads the workspace (its tokens), and opening one
    // writes its row and seeds it, which no stranger's request may do.
    state.ctx = { ...ctx, ws: ctx.store.workspace(workspaceRouteOf(res).name) };
    next();
  });

  app.use(async function authenticate(req: Request, res: Response, next: NextFunction) {
    const state = res.locals.attachkit as Partial<RequestState>;
    if (!state.operation?.open) state.principal = await api.authenticate(req, state.ctx!);
    if (!state.operation) throw dialectOf(api, req, ctx).routeNotFound(req.method, req.baseUrl + req.path);
    // Created and seeded on first use only now, for a known operation with valid credentials. An
    // open operation (a token endpoint) opens it itself once the credentials it was sent are right.
    if (!state.operation.open) state.ctx!.ws = await ctx.workspaces.open(state.ctx!.ws.name);
    next();
  });

  app.use(readQueryAsVendor(api, ctx));
  for (const parser of api.bodyParsers(ctx)) app.use(parser);
  app.use(readBodyAsVendor(api, ctx));

  app.use(
    OpenApiValidator.middleware({
      apiSpec: flatDoc as never,
      validateRequests: { allErrors: true },
      validateResponses: ctx.config.validateResponses,
      validateSecurity: false,
      fileUploader: false,
      validateApiSpec: false,
    }),
  );

  app.use(async function dispatchToHandler(req: Request, res: Response) {
    const { operation, ctx: requestCtx } = requestState(res);
    const handler = api.handlers[operation.operationId];
    if (!handler) throw dialectOf(api, req, ctx).notImplemented(operation.operationId);
    try {
      await handler(req, res, requestCtx);
    } finally {
      // Stored files no record claimed go once the handler is done, whatever the connection did.
      await releaseUploads(req).catch((failure: unknown) => console.error(`[${api.id}] releasing uploads of ${req.method} ${req.originalUrl}:`, failure));
    }
  });

  app.use(function writeApiError(error: unknown, req: Request, res: Response, _next: NextFunction) {
    const apiError = vendorAnswer(error, req, res) ?? toApiError(error, dialectOf(api, req, ctx));
    // An ApiError is a deliberate answer, even a designed 500 (ONLYOFFICE's failed login), and a
    // 4xx from a parser or the validator is the client's; anything else that got here is a crash
    // or a contract bug of ours, worth a stack trace. An engine being down is neither: one line.
    if (isStoreUnavailable(error)) console.error(`[${api.id}] ${req.method} ${req.originalUrl}: store unavailable: ${(error as Error).message}`);
    else if (!(error instanceof ApiError) && apiError.status >= 500) console.error(`[${api.id}] ${req.method} ${req.originalUrl}:`, error);
    void releaseUploads(req).catch((failure: unknown) => console.error(`[${api.id}] releasing uploads of ${req.method} ${req.originalUrl}:`, failure));
    if (res.headersSent) {
      // Mid-stream failure: the status line is gone, so cut the connection rather than lie.
      res.destroy(error instanceof Error ? error : undefined);
      return;
    }
    // Refused before its body was read whole (a limit, a cut): drop the rest, then close.
    drainUnreadBody(req, res);
    writeError(res, apiError);
  });

  /** A request the validator refused, answered in the vendor's own words where the API has them. */
  function vendorAnswer(error: unknown, req: Request, res: Response): ApiError | undefined {
    const items = (error as { status?: number; errors?: ValidationItem[] } | undefined)?.status === 400 ? (error as { errors?: ValidationItem[] }).errors : undefined;
    if (!items || !api.contractViolation || !res.locals.attachkit?.operation) return undefined;
    return api.contractViolation(items, req, res, ctx);
  }

  return app;
}
