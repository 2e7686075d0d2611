// Negative phase: invalid requests generated from each operation's schemas (required fields
// dropped, wrong types, pattern/enum/length/range violations, a wrong content type, a text part
// where a file belongs), each confirmed invalid by the contract itself. Every one must get a 4xx:
// a 2xx accepted it, a 5xx crashed on it. Missing and wrong credentials are the auth phase's.
import { currentTarget } from '../kit/target.ts';
import { targetContract } from '../kit/contract.ts';
import { negativeCases } from '../kit/negative-cases.ts';
import { scenario } from '../kit/scenario.ts';
import { SchemaValidator } from '../kit/schema-validator.ts';

const target = currentTarget();
const contract = targetContract();
const validator = new SchemaValidator(contract.doc);

for (const operation of contract.operations) {
  const cases = negativeCases(contract.doc, operation, validator, { seed: target.seed, limit: target.negativeLimit });
  if (cases.length === 0) continue;
  scenario(`${operation.operationId}: refuses ${cases.length} generated invalid request${cases.length === 1 ? '' : 's'}`, async (session) => {
    for (const negative of cases) {
      const result = await session.call(operation.operationId, { ...negative.options, expect: { refused: true }, step: `negative (${negative.kind}): ${negative.description}` });
      if (result.status >= 200 && result.status < 300) await session.contract.api.undo?.(session, operation.operationId, result);
    }
  });
}
