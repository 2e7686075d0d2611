import { configuredCredential, findApi } from '../../../registry.ts';
import { base64BodyLimit, jsonBody, textBody } from '../../kit/body-parsers.ts';
import type { ServerApi } from '../../kit/server-api.ts';
import { authenticateEspoCrm } from './auth.ts';
import { espoDialect } from './errors.ts';
import { faultMiddleware, faults } from './faults.ts';
import * as attachment from './handlers/attachment.ts';
import * as document from './handlers/document.ts';
import * as note from './handlers/note.ts';
import { migrations } from './migrations.ts';
import { workspaceTables } from './repository.ts';
import { streamAttachmentUpload } from './streaming-upload.ts';

export const espocrm: ServerApi = {
  id: 'espocrm',
  handlers: { ...attachment, ...document, ...note },
  errors: espoDialect,
  authenticate: authenticateEspoCrm,
  bodyParsers: (ctx) => {
    const limit = base64BodyLimit(ctx.config.maxFileBytes);
    // POST Attachment streams its data URL to disk; every other JSON body is small.
    return [streamAttachmentUpload(ctx), jsonBody(limit), textBody(limit)];
  },
  migrations,
  workspaceTables,
  faults,
  faultMiddleware,
  banner: (ctx) => {
    const api = findApi('espocrm')!;
    const read = (flag: string) => configuredCredential(api, flag, ctx.config.env);
    return [
      `X-Api-Key: ${read('api-key')}   (API user, not admin; HMAC secret ${read('secret-key')})`,
      `Basic: ${read('username')} / ${read('password')}   (administrator)`,
    ];
  },
};
