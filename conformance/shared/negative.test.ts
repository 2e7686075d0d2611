// Negative phase: invalid requests generated from each operation's schemas (required fields
// dropped, wrong types, pattern/enum/length/range violations, a wrong content type, a text part
// where a file belongs), each confirmed invalid by the contract itself. Every one must get a 4xx:
// a 2xx accepted it, a 5xx crashed on it. Each is judged under the API's refusal rules: where the
// vendor is known to refuse that kind of input a miss fails the run, elsewhere it is an
// observation. Missing and wrong credentials are the auth phase's.
import { loadContract } from '../kit/contract.ts';
import { currentTarget } from '../kit/current-target.ts';
import { negativePhaseCases } from '../kit/phases.ts';
import { refusalBasis } from '../kit/refusals.ts';
import { scenario } from '../kit/scenario.ts';

const target = currentTarget();
const { index, validator, api } = await loadContract(target.api);

for (const { operation, cases } of negativePhaseCases(index, validator, target)) {
  scenario(`${operation.operationId}: refuses ${cases.length} generated invalid request${cases.length === 1 ? '' : 's'}`, async (session) => {
    for (const negative of cases) {
      const because = refusalBasis(api.refusals, operation.operationId, negative);
      const result = await session.call(operation.operationId, { ...negative.options, expect: { refused: true, because }, step: `negative (${negative.kind}): ${negative.description}` });
      if (result.status >= 200 && result.status < 300) await session.contract.api.undo?.(session, operation.operationId, result);
    }
  });
}
