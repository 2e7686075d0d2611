import path from 'node:path';
import type { ApiEntry } from '../../registry.ts';
import { UsageError } from '../../lib/options.ts';
import { readBaseline } from './baseline.ts';
import type { ConformanceApi } from './conformance-api.ts';
import { Session } from './session.ts';
import { newRunId, type Target } from './target.ts';

/** What a caller says about a run: the CLI's flags, or the programmatic API's options. */
export interface TargetInput {
  /** Site root of the deployment; the suite appends the API's base path. */
  baseUrl: string;
  /** Credentials by the registry's flag names; none given: the reference server's development ones (or their environment variables). */
  credentials?: Record<string, string | undefined>;
  /** The API's own options by flag name (`entity-type`, `case-id` …). */
  options?: Record<string, string | boolean | undefined>;
  readOnly?: boolean;
  stateless?: boolean;
  keep?: boolean;
  strict?: boolean;
  seed?: number | string;
  negativeLimit?: number | string;
  /** A file of known deviations (written by --write-baseline). */
  baseline?: string;
}

/** The negative phase's seed and its most invalid requests per operation, when the caller gives none (the CLI shows them in --help). */
export const defaultSeed = 1;
export const defaultNegativeLimit = 8;

function wholeNumber(value: number | string | undefined, fallback: number, flag: string): number {
  const n = Number(value ?? fallback);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${flag} must be a whole number ≥ 0, got '${value}'`);
  return n;
}

/** Checks the input and builds the run's target; throws UsageError (the CLI's exit 2) on bad input. */
export function prepareTarget(entry: ApiEntry, api: ConformanceApi, input: TargetInput, env: NodeJS.ProcessEnv = process.env): Target {
  const baseUrl = input.baseUrl.replace(/\/+$/, '');
  let parsed: URL;
  try {
    parsed = new URL(baseUrl);
    if (!/^https?:$/.test(parsed.protocol)) throw new Error();
  } catch {
    throw new UsageError(`--base-url must be an http(s) URL, got '${input.baseUrl}'`);
  }
  // The suite appends the base path itself; a copied API URL would be requested as /api/v1/api/v1.
  const basePath = entry.basePath.replace(/\/+$/, '');
  if (basePath && parsed.pathname.replace(/\/+$/, '').endsWith(basePath)) {
    throw new UsageError(`--base-url is the site root, without the API's base path ${basePath}: use ${baseUrl.slice(0, baseUrl.length - basePath.length) || parsed.origin}`);
  }
  const given = Object.fromEntries(entry.credentials.map((c) => [c.flag, input.credentials?.[c.flag]]));
  const defaults = Object.fromEntries(
    entry.credentials.flatMap((c) => {
      const value = env[c.env] ?? c.devDefault;
      return value === undefined ? [] : [[c.flag, value]];
    }),
  );
  const target: Target = {
    api: entry.id,
    baseUrl,
    credentials: api.credentialsInUse(given, defaults),
    options: Object.fromEntries(api.options.map((o) => [o.name, input.options?.[o.name]])),
    stateless: Boolean(input.stateless),
    runId: newRunId(),
    seed: wholeNumber(input.seed, defaultSeed, '--seed'),
    negativeLimit: wholeNumber(input.negativeLimit, defaultNegativeLimit, '--negative-limit'),
    readOnly: Boolean(input.readOnly),
    keep: Boolean(input.keep),
    strict: Boolean(input.strict),
    baselineFile: input.baseline === undefined ? undefined : path.resolve(input.baseline),
  };
  if (target.readOnly && target.stateless) throw new UsageError('--read-only and --stateless do not go together');
  if (target.baselineFile) {
    try {
      readBaseline(target.baselineFile);
    } catch (error) {
      throw new UsageError(`--baseline: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  return target;
}

/** Exit-2 situations, each as one line: nothing answers, or the credentials are refused. */
export async function preflight(entry: ApiEntry, api: ConformanceApi, target: Target): Promise<string | undefined> {
  try {
    await fetch(`${target.baseUrl}${entry.basePath}`, { signal: AbortSignal.timeout(15_000), redirect: 'manual' });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return `cannot reach ${target.baseUrl} (${cause?.code ?? cause?.message ?? (error as Error).message})`;
  }
  const reason = await api.preflight(await Session.open(target));
  return reason ? `credentials rejected: ${reason}` : undefined;
}
