/**
 * Behavioural expectations: what a scenario verifies beyond the contract's per-response checks
 * (e.g. "PUT Note replaces attachmentsIds"). Each is a registered value with its evidence, so a
 * typo cannot create a new one and the report can say why the suite believes it:
 *
 * - `documented`: the vendor's own documentation says so (a URL);
 * - `source`: read in the vendor's source (repository, version, path);
 * - `assumed`: neither settles it. A failed assumption is an observation, not a failure: the run
 *   still exits 0 unless `--strict`.
 */
export type Evidence =
  | { kind: 'documented'; url: string }
  | { kind: 'source'; repo: string; version: string; path: string }
  | { kind: 'assumed'; why: string };

/** What a failed outcome counts as: a failure fails the run, an observation only with --strict. */
export type Severity = 'failure' | 'observation';

export interface ExpectationDefinition {
  /** One line: what holds when the expectation passes. */
  title: string;
  evidence: Evidence;
}

export interface Expectation extends ExpectationDefinition {
  /** snake_case; unique across the API's expectations and the checks. */
  name: string;
  /** The API id, or `*` for the suite's own. */
  api: string;
}

export type ExpectationSet<K extends string = string> = { readonly [name in K]: Expectation };

export function severityOf(evidence: Evidence): Severity {
  return evidence.kind === 'assumed' ? 'observation' : 'failure';
}

export function documented(url: string): Evidence {
  return { kind: 'documented', url };
}

export function assumed(why: string): Evidence {
  return { kind: 'assumed', why };
}

/** A citation of one vendor repository at the version read: `source(path)`. */
export function sourceIn(repo: string, version: string): (path: string) => Evidence {
  return (path) => ({ kind: 'source', repo, version, path });
}

/** Registers an API's expectations; the keys are their names. */
export function defineExpectations<K extends string>(api: string, definitions: Record<K, ExpectationDefinition>): ExpectationSet<K> {
  const set = {} as Record<K, Expectation>;
  for (const name of Object.keys(definitions) as K[]) {
    const { title, evidence } = definitions[name];
    if (!/^[a-z][a-z0-9_]*$/.test(name)) throw new Error(`expectation ${api}.${name}: names are snake_case`);
    if (!title || /\n/.test(title)) throw new Error(`expectation ${api}.${name}: the title is one line`);
    if (evidence.kind === 'documented' && !/^https:\/\//.test(evidence.url)) throw new Error(`expectation ${api}.${name}: documented evidence needs the docs URL`);
    if (evidence.kind === 'source' && !(evidence.repo && evidence.version && evidence.path)) throw new Error(`expectation ${api}.${name}: source evidence needs repo, version and path`);
    if (evidence.kind === 'assumed' && !evidence.why) throw new Error(`expectation ${api}.${name}: say why it is assumed`);
    set[name] = { name, api, title, evidence };
  }
  return set;
}
