import type { OperationIndex } from '../../lib/openapi/operation-index.ts';
import type { ScenarioResult } from './report.ts';

export interface StatusCoverage {
  status: string;
  /** Exchanges that got this status. */
  hits: number;
  /** Documented vendor behaviour the reference server deliberately does not reproduce. */
  vendorOnly?: string;
}

export interface OperationCoverage {
  operationId: string;
  method: string;
  path: string;
  statuses: StatusCoverage[];
}

export interface Coverage {
  operations: OperationCoverage[];
  /** Documented (operation, status) pairs, vendor-only ones excluded. */
  documented: number;
  exercised: number;
  percent: number;
}

function statusMatches(documented: string, actual: number): boolean {
  if (/^\dXX$/i.test(documented)) return String(actual)[0] === documented[0];
  return documented === String(actual);
}

/** Every operation × every documented status, and whether some exchange of the run got it. */
export function coverage(contract: OperationIndex, scenarios: ScenarioResult[]): Coverage {
  const exchanges = scenarios.flatMap((s) => s.exchanges).filter((e) => e.operationId && e.status !== undefined);
  const operations = contract.operations
    .map((op) => ({
      operationId: op.operationId,
      method: op.method.toUpperCase(),
      path: op.path,
      statuses: Object.entries(op.responses)
        .filter(([status]) => status !== 'default')
        .map(([status, response]) => {
          const vendorOnly = response['x-attachkit-vendor-only'];
          return {
            status,
            hits: exchanges.filter((e) => e.operationId === op.operationId && statusMatches(status, e.status!)).length,
            ...(typeof vendorOnly === 'string' ? { vendorOnly } : {}),
          };
        })
        .sort((a, b) => a.status.localeCompare(b.status)),
    }))
    .sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
  const counted = operations.flatMap((o) => o.statuses).filter((s) => !s.vendorOnly);
  const exercised = counted.filter((s) => s.hits > 0).length;
  return { operations, documented: counted.length, exercised, percent: counted.length ? Math.round((1000 * exercised) / counted.length) / 10 : 100 };
}

/** The matrix as text: one line per operation, ✓ exercised, · not, ~ vendor-only. */
export function coverageTable(cov: Coverage): string {
  const width = Math.max(...cov.operations.map((o) => o.operationId.length));
  const lines = cov.operations.map(
    (o) => `${o.operationId.padEnd(width)}  ${o.statuses.map((s) => `${s.status}${s.vendorOnly ? '~' : s.hits ? '✓' : '·'}`).join(' ')}`,
  );
  return [...lines, `coverage: ${cov.exercised}/${cov.documented} documented statuses exercised (${cov.percent}%)  [✓ exercised · not exercised ~ vendor-only]`].join('\n');
}
