/**
 * What an option is and what a usage error is, for every layer that declares options or refuses
 * a combination of them (the conformance suite's APIs do both). The CLI parses and prints them
 * (cli/options.ts); nothing below the CLI imports from cli/.
 */
export interface OptionSpec {
  name: string;
  type: 'string' | 'boolean';
  /** Shown in --help; for strings also the value used when the flag is absent. */
  default?: string | boolean;
  /** Text for --help when the default is computed (e.g. read from an environment variable). */
  defaultLabel?: string;
  multiple?: boolean;
  description: string;
  valueName?: string;
}

/** A usage error: the CLI prints the message on one line and exits 2; the programmatic API throws it. */
export class UsageError extends Error {}
