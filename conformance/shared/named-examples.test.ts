// Stateless phase: every named response example of every operation is requested (Prism serves
// the one named in `Prefer`), and each answer must match the contract. Against a real server the
// Prefer header is ignored and the same checks apply to whatever it answers.
import { loadContract } from '../kit/contract.ts';
import { currentTarget } from '../kit/current-target.ts';
import { exampleRequest, responseExamples } from '../kit/example-requests.ts';
import { scenario } from '../kit/scenario.ts';

const { index } = await loadContract(currentTarget().api);

for (const operation of index.operations) {
  scenario(`${operation.operationId}: named examples replay`, async (session) => {
    const pairs = responseExamples(index.doc, operation);
    if (pairs.length === 0) {
      await session.call(operation.operationId, { ...exampleRequest(index.doc, operation), step: 'example request' });
      return;
    }
    for (const pair of pairs) {
      const request = exampleRequest(index.doc, operation, pair.name);
      await session.call(operation.operationId, {
        ...request,
        headers: { ...request.headers, Prefer: `code=${pair.status}, example=${pair.name}` },
        step: `example '${pair.name}' (${pair.status})`,
      });
    }
  });
}
