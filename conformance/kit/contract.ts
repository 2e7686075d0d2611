import { findApi, specFile } from '../../registry.ts';
import { loadSpec } from '../../lib/openapi/load-spec.ts';
import { OperationIndex } from '../../lib/openapi/operation-index.ts';
import { currentTarget } from './target.ts';

/** The target API's contract, for scenario files that register one test per operation. */
export function targetContract(): OperationIndex {
  const target = currentTarget();
  const entry = findApi(target.api);
  if (!entry) throw new Error(`unknown API ${target.api}`);
  return new OperationIndex(loadSpec(specFile(entry)));
}
