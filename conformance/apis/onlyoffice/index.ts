import { UsageError } from '../../../lib/options.ts';
import type { ConformanceApi } from '../../kit/conformance-api.ts';
import { responseOfBody } from './steps.ts';
import type { Target } from '../../kit/target.ts';
import { basePath, onlyofficeAuth, requestToken } from './auth.ts';
import { onlyofficeExpectations } from './expectations.ts';
import { onlyofficeRefusals } from './refusals.ts';

const entityTypes = ['contact', 'opportunity', 'case'];

function checkOptions(target: Target): void {
  const type = target.options['entity-type'];
  if (typeof type !== 'string' || !entityTypes.includes(type)) throw new UsageError(`--entity-type must be one of ${entityTypes.join(', ')}, got '${type}'`);
  const id = String(target.options['entity-id']);
  if (!/^[1-9][0-9]{0,9}$/.test(id) || Number(id) > 2147483647) throw new UsageError(`--entity-id must be a positive 32-bit integer, got '${id}'`);
}

export const onlyoffice: ConformanceApi = {
  id: 'onlyoffice',
  options: [
    {
      name: 'entity-type',
      type: 'string',
      default: 'contact',
      valueName: 'TYPE',
      description: 'kind of CRM record the scenarios attach files to: contact, opportunity or case',
    },
    {
      name: 'entity-id',
      type: 'string',
      default: '1',
      valueName: 'N',
      description: 'id of an existing record of that kind (the reference server seeds contact, opportunity and case 1)',
    },
  ],
  /**
   * Either an existing token (--token, or $ONLYOFFICE_TOKEN) or a user name and password the run
   * exchanges for a token. With no flags the reference server's development user is used.
   */
  credentialsInUse(given, defaults): Record<string, string> {
    const { token, username, password } = given;
    if (token !== undefined && (username !== undefined || password !== undefined)) throw new UsageError('give --token, or --username and --password, not both');
    if (token !== undefined) return { token };
    if ((username === undefined) !== (password === undefined)) throw new UsageError('--username and --password go together');
    if (username !== undefined && password !== undefined) return { username, password };
    if (defaults.token) return { token: defaults.token };
    return { username: defaults.username, password: defaults.password };
  },
  auth: (target, session) => onlyofficeAuth(target, session),
  async preflight(session) {
    const target = session.target;
    checkOptions(target);
    const { token, username, password } = target.credentials;
    if (!token) {
      const result = await requestToken(target, username, password);
      if (!result.token) return `POST ${basePath}/authentication answered ${result.status}${result.reason ? ` (${result.reason})` : ''} for ${username}`;
    }
    const probe = await session.call('getCrmRootFolder', { step: 'preflight' });
    if (probe.status === 0) return `no answer from ${target.baseUrl}${basePath} (${probe.exchange.transportError})`;
    if (probe.status === 401) return `ONLYOFFICE answered 401 to ${token ? 'the token' : `the token issued for ${username}`}`;
    return undefined;
  },
  expectations: onlyofficeExpectations,
  refusals: onlyofficeRefusals,
  scenarios: ['conformance/apis/onlyoffice/*.test.ts'],
  readOnlyScenarios: ['conformance/apis/onlyoffice/read-only/*.test.ts'],
  // An event a faulty server created cannot be deleted through this API; a stored file can.
  async undo(session, operationId, result) {
    const id = responseOfBody<{ id?: unknown }>(result.body)?.id;
    if (operationId.startsWith('uploadCrmFile') && typeof id === 'number') {
      await session.call('deleteCrmFile', { path: { fileid: id }, step: `clean up what ${operationId} wrongly accepted` });
    }
  },
  sideEffects: [
    'A run uploads files named attachkit-<run id>-… into the CRM root folder and deletes them when it ends, pass or fail.',
    "Attaching creates 'Files are uploaded' history events on the record under test (--entity-type/--entity-id), four per run,",
    'one of them empty; this API has no way to delete them, so they stay in the record\'s history.',
    'With --username/--password the run logs in once, and one scenario logs in with a wrong password on purpose.',
  ].join('\n'),
};
