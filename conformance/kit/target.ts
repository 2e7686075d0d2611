/**
 * What a conformance run is pointed at. The CLI builds it and hands it to the vitest workers
 * through the environment; scenarios read it back with `currentTarget()`.
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
  /** Known deviations to accept (a file written by --write-baseline). */
  baselineFile?: string;
}

const variable = 'ATTACHKIT_TARGET';

export function targetEnvironment(target: Target): Record<string, string> {
  return { [variable]: JSON.stringify(target) };
}

export function currentTarget(): Target {
  const raw = process.env[variable];
  if (!raw) throw new Error(`${variable} is not set: conformance scenarios run through 'attachkit conformance <api>'`);
  return JSON.parse(raw) as Target;
}
