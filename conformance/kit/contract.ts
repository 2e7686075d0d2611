import { findApi, specFile, type ApiEntry } from '../../registry.ts';
import { loadSpec } from '../../lib/openapi/load-spec.ts';
import { OperationIndex } from '../../lib/openapi/operation-index.ts';
import type { ConformanceApi } from './conformance-api.ts';
import { SchemaValidator } from './schema-validator.ts';

/** One API's contract as the suite reads it: its operations, its schemas compiled, its suite part. */
export interface Contract {
  entry: ApiEntry;
  api: ConformanceApi;
  index: OperationIndex;
  validator: SchemaValidator;
}

// Keyed by API id: a process that talks to several APIs (a test, the CLI's preflight and reporter)
// gets each API's own contract, parsed and compiled once.
const contracts = new Map<string, Promise<Contract>>();

export function loadContract(apiId: string): Promise<Contract> {
  let contract = contracts.get(apiId);
  if (!contract) {
    const entry = findApi(apiId);
    if (!entry) return Promise.reject(new Error(`unknown API ${apiId}`));
    contract = (async () => {
      const index = new OperationIndex(loadSpec(specFile(entry)));
      return { entry, api: await entry.conformance(), index, validator: new SchemaValidator(index.doc) };
    })();
    contracts.set(apiId, contract);
  }
  return contract;
}
