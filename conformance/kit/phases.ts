import type { IndexedOperation, OperationIndex } from '../../lib/openapi/operation-index.ts';
import { negativeCases, type NegativeCase } from './negative-cases.ts';
import type { SchemaValidator } from './schema-validator.ts';
import type { Target } from './target.ts';

/**
 * What the contract-generated phases cover for a target. The phase files and the CLI both ask
 * here, so a phase with nothing to send (e.g. no GET operation has invalid inputs in a read-only
 * run) is left out rather than shipped as an empty test file.
 */
function allowed(target: Target, operation: IndexedOperation): boolean {
  return !target.readOnly || operation.method === 'get' || operation.method === 'head';
}

export function authPhaseOperations(contract: OperationIndex, target: Target): IndexedOperation[] {
  return contract.operations.filter((op) => !op.open && allowed(target, op));
}

export function negativePhaseCases(contract: OperationIndex, validator: SchemaValidator, target: Target): Array<{ operation: IndexedOperation; cases: NegativeCase[] }> {
  return contract.operations
    .filter((op) => allowed(target, op))
    .map((operation) => ({ operation, cases: negativeCases(contract.doc, operation, validator, { seed: target.seed, limit: target.negativeLimit }) }))
    .filter((entry) => entry.cases.length > 0);
}

export const phaseFiles = {
  auth: 'conformance/shared/auth-required.test.ts',
  negative: 'conformance/shared/negative.test.ts',
  examples: 'conformance/shared/named-examples.test.ts',
};
