import { urlencodedBody } from '../../kit/body-parsers.ts';
import { jsonBody } from '../../kit/json-body.ts';
import { multipartBody } from '../../kit/multipart.ts';
import type { ServerApi } from '../../kit/server-api.ts';
import { authenticateOnlyoffice, devUser, tokenCookie } from './auth.ts';
import { apiDialect, dialectFor } from './errors.ts';
import { faultMiddleware, faults } from './faults.ts';
import { bindAttachForm, onlyofficeContractViolation, readUndeclaredOnlyofficeBody } from './form-binding.ts';
import * as authentication from './handlers/authentication.ts';
import * as crmFiles from './handlers/crm-files.ts';
import * as fileHandler from './handlers/file-handler.ts';
import { migrations } from './migrations.ts';
import { rawUploadBody } from './raw-upload.ts';
import { crmRootFolderId, OnlyofficeRepository, seededEntities, workspaceTables } from './repository.ts';
import { enforceRouteConstraints } from './route-constraints.ts';

export const onlyoffice: ServerApi = {
  id: 'onlyoffice',
  handlers: { ...authentication, ...crmFiles, ...fileHandler },
  errors: apiDialect,
  errorsFor: (req) => dialectFor(req),
  authenticate: authenticateOnlyoffice,
  // Route constraints first (they decide 404 before validation); then the small JSON and form
  // bodies of authenticate/attach, and the two upload forms, streamed into the blob store.
  bodyParsers: (ctx) => [
    enforceRouteConstraints,
    // Json.NET's default MaxDepth is 64: deeper JSON fails to deserialize (400 in ONLYOFFICE).
    jsonBody({ limit: 1024 * 1024, maxDepth: 64 }),
    urlencodedBody(64 * 1024),
    multipartBody(ctx, apiDialect, { maxFileBytes: ctx.config.maxFileBytes }),
    rawUploadBody(ctx, apiDialect, { maxFileBytes: ctx.config.maxFileBytes }),
    bindAttachForm,
  ],
  readUndeclaredBody: readUndeclaredOnlyofficeBody,
  contractViolation: onlyofficeContractViolation,
  ignoresUnknownQueryParameters: 'ASC.Api binds only the parameters of the method and of ApiContext (ASC.Api/Impl/ApiArgumentBuilder.cs, ApiContext.cs)',
  migrations,
  workspaceTables,
  dropRecordsWithoutBytes: (ws, keys) => new OnlyofficeRepository(ws).dropRecordsWithoutBytes(keys),
  seed: (ws) => new OnlyofficeRepository(ws).seedEntities(),
  faults,
  faultMiddleware,
  banner: (ctx) => {
    const user = devUser(ctx);
    return [
      `POST /authentication  {"userName": "${user.userName}", "password": "${user.password}"}  → token for Authorization, Bearer or cookie ${tokenCookie}`,
      `Basic: ${user.userName} / ${user.password}   (also accepted by /Products/Files/HttpHandlers/filehandler.ashx)`,
      `seeded: ${seededEntities.map((e) => `${e.entity_type} ${e.id}`).join(', ')}; CRM root folder ${crmRootFolderId}`,
    ];
  },
};
