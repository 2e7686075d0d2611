// Every secured operation refuses a request without credentials and one with wrong credentials.
// The requests are the contract's own examples, so authentication is the only thing wrong.
import { loadContract } from '../kit/contract.ts';
import { currentTarget } from '../kit/current-target.ts';
import { exampleRequest } from '../kit/example-requests.ts';
import { authPhaseOperations } from '../kit/phases.ts';
import { scenario } from '../kit/scenario.ts';

const target = currentTarget();
const { index } = await loadContract(target.api);

for (const operation of authPhaseOperations(index, target)) {
  scenario(`${operation.operationId}: refuses missing and wrong credentials`, async (session) => {
    const request = exampleRequest(index.doc, operation);
    await session.call(operation.operationId, { ...request, auth: 'none', expect: { unauthorized: true }, step: 'no credentials' });
    await session.call(operation.operationId, { ...request, auth: 'wrong', expect: { unauthorized: true }, step: 'wrong credentials' });
  });
}
