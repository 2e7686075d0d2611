import type { ServerApi } from '../../kit/server-api.ts';
import { authenticateEspoCrm } from './auth.ts';
import { espoContractViolation } from './contract-violation.ts';
import { espoDialect } from './errors.ts';
import { faultMiddleware, faults } from './faults.ts';
import * as attachment from './handlers/attachment.ts';
import * as document from './handlers/document.ts';
import * as note from './handlers/note.ts';
import { migrations } from './migrations.ts';
import { espoBodyParsers, readUndeclaredEspoBody } from './request-body.ts';
import { EspoRepository, workspaceTables } from './repository.ts';

export const espocrm: ServerApi = {
  id: 'espocrm',
  handlers: { ...attachment, ...document, ...note },
  errors: espoDialect,
  authenticate: authenticateEspoCrm,
  bodyParsers: espoBodyParsers,
  readUndeclaredBody: readUndeclaredEspoBody,
  contractViolation: espoContractViolation,
  // Core/Api/ControllerActionHandler.php, ResponseComposer.php: no charset parameter.
  jsonMediaType: 'application/json',
  ignoresUnknownQueryParameters: 'EspoCRM reads only the parameters it knows (Core/Record/ReadParamsFetcher.php, SearchParamsFetcher.php; Tools/Attachment/Api/GetFile.php)',
  migrations,
  workspaceTables,
  dropRecordsWithoutBytes: (ws, keys) => new EspoRepository(ws).dropRecordsWithoutBytes(keys),
  faults,
  faultMiddleware,
  banner: (ctx) => {
    const read = (flag: string) => ctx.credential(flag);
    return [
      `X-Api-Key: ${read('api-key')}   (API user "api", auth method API Key; not admin)`,
      `X-Hmac-Authorization: API key ${read('hmac-api-key')}, secret ${read('secret-key')}   (API user "api-hmac", auth method HMAC; not admin)`,
      `Basic: ${read('username')} / ${read('password')}   (administrator; also Espo-Authorization)`,
    ];
  },
};
