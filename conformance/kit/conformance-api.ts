import type { OptionSpec } from '../../lib/options.ts';
import type { ExpectationSet } from './expectations.ts';
import type { RefusalRule } from './refusals.ts';
import type { CallResult, Session } from './session.ts';
import type { Target } from './target.ts';

export type AuthMode = 'valid' | 'none' | 'wrong';

/** How one API authenticates a request, for each mode a scenario may ask for. */
export interface AuthStrategy {
  /** Headers for the mode; `valid` may obtain (and cache) a token first. `path` is the request path. */
  headers(mode: AuthMode, request: { method: string; path: string }): Promise<Record<string, string>>;
}

/** The per-API part of the conformance suite: options, auth and scenarios. Checks are shared. */
export interface ConformanceApi {
  id: string;
  /** Options beyond the shared ones and the registry's credential flags. */
  options: OptionSpec[];
  /** Checks the combination of credential flags the user gave; throws UsageError when it is unusable. */
  credentialsInUse(given: Record<string, string | undefined>, defaults: Record<string, string>): Record<string, string>;
  auth(target: Target, session: Session): AuthStrategy;
  /** Resolves to a one-line reason when the target refuses the credentials, else undefined. */
  preflight(session: Session): Promise<string | undefined>;
  /** Every behavioural expectation the API's scenarios verify, with its evidence. */
  expectations: ExpectationSet;
  /** The kinds of invalid input the vendor is known to refuse (the negative phase's evidence). */
  refusals: readonly RefusalRule[];
  /** Scenario test files for a full run, repo-relative globs. */
  scenarios: string[];
  /** Scenario files for --read-only runs: GETs only, on the ids given with the API's options. */
  readOnlyScenarios: string[];
  /** Shown in `--help` and in the README: what a write-mode run leaves behind, if anything. */
  sideEffects: string;
  /** Removes what a request created when a faulty server accepted it (the negative phase calls this). */
  undo?(session: Session, operationId: string, result: CallResult): Promise<void>;
}
