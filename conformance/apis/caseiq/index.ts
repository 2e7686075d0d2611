import { UsageError } from '../../../lib/options.ts';
import type { ConformanceApi } from '../../kit/conformance-api.ts';
import { caseIqAuth, fetchToken } from './auth.ts';
import { caseiqExpectations } from './expectations.ts';
import { caseiqRefusals } from './refusals.ts';
import { exampleTagIds, seededCaseId } from './steps.ts';

export const caseiq: ConformanceApi = {
  id: 'caseiq',
  options: [
    {
      name: 'case-id',
      type: 'string',
      default: seededCaseId,
      valueName: 'UUID',
      description: "case the run attaches its test files to (must exist; the reference server's seeded case by default)",
    },
    {
      name: 'attachment-id',
      type: 'string',
      valueName: 'UUID',
      description: 'with --read-only: an existing attachment to read, find in the listing and download',
    },
    {
      name: 'tag-ids',
      type: 'string',
      default: exampleTagIds.join(','),
      valueName: 'IDS',
      description: 'three comma-separated tag ids the uploads carry as bulkTags[] (on a real site, tags that exist there)',
    },
  ],
  /**
   * Either an existing token (--token) or a service account (--client-id with --client-secret),
   * not both. With no flag, the reference server's development service account. Scenarios that
   * need to request tokens (grant errors, expiry) run only with client credentials.
   */
  credentialsInUse(given, defaults) {
    const { token } = given;
    const clientId = given['client-id'];
    const clientSecret = given['client-secret'];
    if (token !== undefined && (clientId !== undefined || clientSecret !== undefined)) {
      throw new UsageError('give --token, or --client-id with --client-secret, not both');
    }
    if (token !== undefined) return { token };
    if ((clientId === undefined) !== (clientSecret === undefined)) throw new UsageError('--client-id and --client-secret go together');
    if (clientId !== undefined) return { 'client-id': clientId, 'client-secret': clientSecret! };
    return defaults;
  },
  auth: (target, session) => caseIqAuth(target, session),
  async preflight(session) {
    const c = session.target.credentials;
    if (c.token) {
      const probe = await session.call('listAttachments', { query: { limit: 1 }, step: 'preflight' });
      if (probe.status === 0) return `no answer from ${session.target.baseUrl}/api-public/1.0 (${probe.exchange.transportError})`;
      if (probe.status === 401) return 'Case IQ answered 401 to the access token given with --token';
      return undefined;
    }
    const grant = await fetchToken(session.target);
    if (grant.status === 0) return `no answer from ${session.target.baseUrl}/auth/oauth2/token (${grant.transportError})`;
    if (grant.status === 401) return `Case IQ answered 401 (${grant.error ?? 'no error code'}) to client_id ${c['client-id']} and its client_secret`;
    if (grant.status === 404) return 'POST /auth/oauth2/token answered 404: the public API is not enabled on this site';
    if (grant.status !== 200 || !grant.token) return `POST /auth/oauth2/token answered ${grant.status} without an access token`;
    return undefined;
  },
  expectations: caseiqExpectations,
  refusals: caseiqRefusals,
  scenarios: ['conformance/apis/caseiq/*.test.ts', 'conformance/shared/auth-required.test.ts'],
  readOnlyScenarios: ['conformance/apis/caseiq/read-only/*.test.ts'],
  sideEffects:
    'A run adds about 25 small attachments, named attachkit-<run id>-…, to the case given with --case-id: the Case IQ API documents no delete, so they stay (--read-only adds none).',
};
