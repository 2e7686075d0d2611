import { UsageError } from '../../../lib/options.ts';
import type { ConformanceApi } from '../../kit/conformance-api.ts';
import { espoAuth } from './auth.ts';
import { espocrmExpectations } from './expectations.ts';
import { espocrmRefusals } from './refusals.ts';

export const espocrm: ConformanceApi = {
  id: 'espocrm',
  options: [
    { name: 'attachment-id', type: 'string', valueName: 'ID', description: 'with --read-only: an attachment to read and download' },
    { name: 'document-id', type: 'string', valueName: 'ID', description: 'with --read-only: a Document whose file to check' },
    { name: 'note-id', type: 'string', valueName: 'ID', description: "with --read-only: a Note whose attachments to check" },
  ],
  /**
   * With no credential flags the reference server's development identities are used (an API
   * users and the admin). Given flags replace them: --api-key, --hmac-api-key with --secret-key
   * (an API user whose auth method is HMAC), and/or --username with --password. Scenarios that need both identities run only when both are known.
   */
  credentialsInUse(given, defaults) {
    const any = Object.values(given).some((v) => v !== undefined);
    if (!any) return defaults;
    if ((given.username === undefined) !== (given.password === undefined)) throw new UsageError('--username and --password go together');
    if ((given['secret-key'] === undefined) !== (given['hmac-api-key'] === undefined)) throw new UsageError('--hmac-api-key and --secret-key go together');
    if (given['api-key'] === undefined && given.username === undefined && given['hmac-api-key'] === undefined) {
      throw new UsageError('give --api-key, --hmac-api-key with --secret-key, or --username and --password');
    }
    return Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) as Record<string, string>;
  },
  auth: (target) => espoAuth(target),
  async preflight(session) {
    const probe = await session.call('getAttachment', { path: { id: '0000000000000000a' }, step: 'preflight' });
    if (probe.status === 0) return `no answer from ${session.target.baseUrl}/api/v1 (${probe.exchange.transportError})`;
    const c = session.target.credentials;
    if (probe.status === 401) return `EspoCRM answered 401 to ${c['api-key'] ? 'X-Api-Key' : c.username ? 'Basic' : 'X-Hmac-Authorization'} credentials`;
    return undefined;
  },
  expectations: espocrmExpectations,
  refusals: espocrmRefusals,
  scenarios: ['conformance/apis/espocrm/*.test.ts'],
  readOnlyScenarios: ['conformance/apis/espocrm/read-only/*.test.ts'],
  async undo(session, operationId, result) {
    const remover = { createAttachment: 'deleteAttachment', createDocument: 'deleteDocument', createNote: 'deleteNote' }[operationId];
    const id = (JSON.parse(result.body.toString('utf8') || '{}') as { id?: unknown }).id;
    if (remover && typeof id === 'string') await session.call(remover, { path: { id }, step: `clean up what ${operationId} wrongly accepted` });
  },
  sideEffects:
    'A run creates attachments, Documents and Notes named attachkit-<run id>-… and deletes them when it ends, pass or fail.',
};
