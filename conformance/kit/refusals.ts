import type { Expectation } from './expectations.ts';
import type { NegativeCase, NegativeKind } from './negative-cases.ts';
import { suiteExpectations } from './suite-expectations.ts';

/**
 * Which generated invalid requests the vendor is known to refuse, and why we know: the negative
 * phase's cases come from the contract's schemas, but a schema can say more than the vendor
 * enforces. A case no rule covers is still sent; a miss there is an observation.
 */
export interface RefusalRule {
  kinds: NegativeKind[];
  /** Operations it covers; every operation when absent. */
  operations?: string[];
  /** Fields it covers (`body.name`, `query.limit`, `path.entityid`); every field when absent. */
  fields?: string[];
  because: Expectation;
}

/** The expectation a generated case is judged under: the first rule that covers it, else an assumption. */
export function refusalBasis(rules: readonly RefusalRule[], operationId: string, negative: NegativeCase): Expectation {
  const rule = rules.find(
    (r) =>
      r.kinds.includes(negative.kind) &&
      (!r.operations || r.operations.includes(operationId)) &&
      (!r.fields || (negative.field !== undefined && r.fields.includes(negative.field))),
  );
  return rule?.because ?? suiteExpectations.generated_invalid_input_refused;
}
