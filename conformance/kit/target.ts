import { randomUUID } from 'node:crypto';

/**
 * What a conformance run is pointed at. The CLI builds it and hands it to the vitest worker with
 * vitest's `provide`; scenarios read it back with `currentTarget()` (current-target.ts).
 */
export interface Target {
  api: string;
  /** Site root (the part before the API's base path), without a trailing slash. */
  baseUrl: string;
  /** Credential values by CLI flag name (`api-key`, `token`, …). */
  credentials: Record<string, string>;
  /** The API's extra options by flag name (`entity-type`, `case-id`, …). */
  options: Record<string, string | boolean | undefined>;
  /** Only replay the contract's named examples (for stateless mocks such as Prism). */
  stateless: boolean;
  /** Marks every record a run creates, so leftovers can be traced to it. */
  runId: string;
  /** Seed of the negative phase's selection, so a run can be repeated exactly. */
  seed: number;
  /** Most negative cases sent per operation. */
  negativeLimit: number;
  /** Send no writes: only GETs, on ids the user names. */
  readOnly: boolean;
  /** Leave what the run created in place (no clean-up). */
  keep: boolean;
  /** Observations (failed assumptions) fail the run too. */
  strict: boolean;
  /** Known deviations to accept (a file written by --write-baseline). */
  baselineFile?: string;
}

export function newRunId(): string {
  return randomUUID().slice(0, 8);
}
