import { jsonBody } from '../../kit/json-body.ts';
import { multipartBody } from '../../kit/multipart.ts';
import type { ServerApi } from '../../kit/server-api.ts';
import { authenticateCaseIq, seededCaseId, serviceAccount } from './auth.ts';
import { caseIqDialect, dialectFor } from './errors.ts';
import { faults } from './faults.ts';
import * as attachments from './handlers/attachments.ts';
import * as token from './handlers/token.ts';
import { migrations } from './migrations.ts';
import { canonicalQueryEncoding } from './query-encoding.ts';
import { CaseIqRepository, workspaceTables } from './repository.ts';

export const caseiq: ServerApi = {
  id: 'caseiq',
  handlers: { ...token, ...attachments },
  errors: caseIqDialect,
  errorsFor: (req, ctx) => dialectFor(req, ctx.faults),
  authenticate: authenticateCaseIq,
  // Token requests are small JSON; uploads are streamed part by part into the blob store.
  bodyParsers: (ctx) => [canonicalQueryEncoding, jsonBody({ limit: 64 * 1024, maxDepth: 64 }), multipartBody(ctx, caseIqDialect, { maxFileBytes: ctx.config.maxFileBytes })],
  migrations,
  workspaceTables,
  dropRecordsWithoutBytes: (ws, keys) => new CaseIqRepository(ws).dropRecordsWithoutBytes(keys),
  seed: (ws) => new CaseIqRepository(ws).seedCase(seededCaseId, '2024-01-01T00:00:00.000Z'),
  faults,
  banner: (ctx) => {
    const account = serviceAccount(ctx);
    return [
      `POST /auth/oauth2/token  client_id ${account.clientId} / client_secret ${account.clientSecret}  (Bearer tokens, ttl 600 s by default)`,
      `seeded case ${seededCaseId}`,
    ];
  },
};
