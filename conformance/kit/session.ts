import type { IndexedOperation, OperationIndex } from '../../lib/openapi/operation-index.ts';
import { OperationIndex as Index } from '../../lib/openapi/operation-index.ts';
import type { AuthMode, AuthStrategy } from './conformance-api.ts';
import { loadContract, type Contract } from './contract.ts';
import type { Exchange, RequestExpectation } from './exchange.ts';
import { severityOf, type Expectation } from './expectations.ts';
import { runChecks, type CheckOutcome } from './checks/registry.ts';
import { Redactor, secretHeaderNames } from './redactor.ts';
import type { RecordedOutcome, ScenarioRecord } from './report.ts';
import { encodeBody } from './request-body.ts';
import { summariseExchange } from './snapshot.ts';
import type { Target } from './target.ts';

export interface CallOptions {
  path?: Record<string, string | number>;
  query?: Record<string, string | number | boolean | Array<string | number> | undefined>;
  headers?: Record<string, string>;
  json?: unknown;
  text?: string;
  form?: FormData;
  bytes?: Buffer;
  contentType?: string;
  auth?: AuthMode;
  expect?: RequestExpectation;
  /** What this request is for, in words: shows in titles and reports. */
  step?: string;
}

export interface CallResult {
  exchange: Exchange;
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  json<T = unknown>(): T;
}

/**
 * One scenario's conversation with the target: builds requests from the contract by
 * operationId, records every exchange, runs the shared checks on it, and keeps the clean-up
 * steps that must run whatever happens.
 */
export class Session {
  readonly exchanges: Exchange[] = [];
  readonly outcomes: RecordedOutcome[] = [];
  readonly redactor: Redactor;
  private readonly cleanups: Array<{ label: string; run: () => Promise<unknown> }> = [];
  private readonly cleanupErrors: string[] = [];
  private authStrategy?: AuthStrategy;

  private constructor(
    readonly target: Target,
    readonly contract: Contract,
  ) {
    this.redactor = new Redactor(secretHeaderNames(contract.index.doc));
    for (const option of contract.entry.credentials) {
      if (option.secret) this.redactor.add(target.credentials[option.flag]);
    }
  }

  /** A session on the target's own API (its contract is loaded once per process). */
  static async open(target: Target): Promise<Session> {
    return new Session(target, await loadContract(target.api));
  }

  get index(): OperationIndex {
    return this.contract.index;
  }

  /** A name unique to this run, for records the scenario creates (`attachkit-<run>-<label>`). */
  name(label: string): string {
    return `attachkit-${this.target.runId}-${label}`;
  }

  private auth(): AuthStrategy {
    this.authStrategy ??= this.contract.api.auth(this.target, this);
    return this.authStrategy;
  }

  /** Calls a documented operation by operationId. */
  async call(operationId: string, options: CallOptions = {}): Promise<CallResult> {
    const operation = this.index.get(operationId);
    const path = Index.fill(operation.path, options.path ?? {});
    return this.send(operation.method.toUpperCase(), path, options, operation);
  }

  /** Sends a request to any path under the site root (resolved to an operation when one matches). */
  async request(method: string, path: string, options: CallOptions = {}): Promise<CallResult> {
    return this.send(method.toUpperCase(), path, options, this.index.match(method, path.split('?')[0])?.operation);
  }

  private async send(method: string, path: string, options: CallOptions, operation: IndexedOperation | undefined): Promise<CallResult> {
    // The read-only promise is kept here, below every scenario, not by each scenario's care.
    if (this.target.readOnly && method !== 'GET' && method !== 'HEAD') throw new Error(`read-only run: ${method} ${path} was not sent`);
    const url = new URL(this.target.baseUrl + path);
    for (const [name, value] of Object.entries(options.query ?? {})) {
      if (value === undefined) continue;
      for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(name, String(item));
    }
    const headers: Record<string, string> = {
      Accept: 'application/json, */*;q=0.8',
      ...(await this.auth().headers(options.auth ?? 'valid', { method, path: url.pathname })),
      ...options.headers,
    };
    const encoded = encodeBody(options);
    if (encoded.contentType) headers['Content-Type'] ??= encoded.contentType;

    const started = performance.now();
    const exchange: Exchange = {
      index: this.exchanges.length,
      step: options.step ?? `${method} ${url.pathname}`,
      request: { method, url: url.toString(), headers, bodyExcerpt: encoded.excerpt, bodyBytes: encoded.bytes },
      operation,
      expect: options.expect ?? {},
      durationMs: 0,
    };
    try {
      const response = await fetch(url, { method, headers, body: encoded.body, redirect: 'manual', signal: AbortSignal.timeout(120_000) });
      const responseHeaders: Record<string, string> = {};
      response.headers.forEach((value, name) => (responseHeaders[name] = value));
      let received: Buffer;
      try {
        received = Buffer.from(await response.arrayBuffer());
      } catch (error) {
        exchange.transportError = `body cut off: ${(error as Error).message}${causeOf(error)}`;
        received = Buffer.alloc(0);
      }
      exchange.response = { status: response.status, headers: responseHeaders, body: received };
    } catch (error) {
      exchange.transportError = `${(error as Error).message}${causeOf(error)}`;
    }
    exchange.durationMs = Math.round(performance.now() - started);
    this.exchanges.push(exchange);
    for (const outcome of runChecks(exchange, { validator: this.contract.validator })) this.record(outcome, exchange);

    const response = exchange.response;
    return {
      exchange,
      status: response?.status ?? 0,
      headers: response?.headers ?? {},
      body: response?.body ?? Buffer.alloc(0),
      json<T>() {
        if (!response) throw new Error(`${exchange.step}: no response (${exchange.transportError})`);
        try {
          return JSON.parse(response.body.toString('utf8')) as T;
        } catch {
          throw new Error(`${exchange.step}: response is not JSON (${response.status}, ${response.body.length} bytes)`);
        }
      },
    };
  }

  /**
   * A check's outcome. The checks that judge the outcome a scenario asked for (status, refusal,
   * authentication) take the evidence of the request's `because`: a refusal the vendor is only
   * assumed to make is an observation.
   */
  private record(outcome: CheckOutcome, exchange: Exchange): void {
    const f = outcome.failure;
    const basis = outcome.judgesExpectedOutcome ? exchange.expect.because : undefined;
    this.outcomes.push({
      check: outcome.check,
      kind: 'check',
      passed: outcome.passed,
      severity: basis ? severityOf(basis.evidence) : f?.assumption ? 'observation' : 'failure',
      ...(basis ? { expectation: basis.name } : {}),
      exchange: exchange.index,
      title: f?.title,
      detail: f?.detail,
      rule: f?.rule,
    });
  }

  /**
   * Verifies a registered expectation of the scenario (e.g. `note_put_replaces_list`). `failure`
   * is the one-line title reported when `ok` is false. Returns `ok`.
   */
  verify(expectation: Expectation, ok: boolean, failure: string, detail?: string): boolean {
    if (expectation.api !== this.target.api && expectation.api !== '*') throw new Error(`${expectation.api}.${expectation.name} is not an expectation of ${this.target.api}`);
    const exchange = this.exchanges.length ? this.exchanges.length - 1 : undefined;
    this.outcomes.push({
      check: expectation.name,
      kind: 'expectation',
      passed: ok,
      severity: severityOf(expectation.evidence),
      exchange,
      title: ok ? undefined : failure,
      detail: ok ? undefined : detail,
    });
    return ok;
  }

  /**
   * The scenario stopped early, on `error`. Only a stop caused by a failed assumption (an
   * AssumptionBroken, thrown after the assumption was recorded as an observation, with nothing worse
   * before it) is an observation; any other exception (a TypeError, a missing id) is a failure,
   * whatever observations came before it.
   */
  stopped(error: unknown): void {
    const message = String((error as Error)?.message ?? error).split('\n')[0];
    const failed = this.outcomes.filter((o) => !o.passed);
    const byAssumption = error instanceof AssumptionBroken && failed.length > 0 && failed.every((o) => o.severity === 'observation');
    this.outcomes.push({
      check: 'scenario_completed',
      kind: 'check',
      passed: false,
      severity: byAssumption ? 'observation' : 'failure',
      exchange: this.exchanges.length ? this.exchanges.length - 1 : undefined,
      title: `scenario stopped: ${message}`,
    });
  }

  /** Registers a clean-up step; all run in reverse order when the scenario ends, pass or fail. */
  cleanup(label: string, run: () => Promise<unknown>): void {
    this.cleanups.push({ label, run });
  }

  async runCleanups(): Promise<void> {
    if (this.target.keep) return;
    while (this.cleanups.length) {
      const { label, run } = this.cleanups.pop()!;
      try {
        await run();
      } catch (error) {
        this.cleanupErrors.push(`${label}: ${(error as Error).message}`);
      }
    }
  }

  failures(): RecordedOutcome[] {
    return this.outcomes.filter((o) => !o.passed);
  }

  /** Everything a report needs, redacted and JSON-safe. */
  snapshot(): ScenarioRecord {
    const r = this.redactor;
    return {
      api: this.target.api,
      exchanges: this.exchanges.map((ex) => summariseExchange(ex, r)),
      outcomes: this.outcomes.map((o) => ({ ...o, title: o.title && r.text(o.title), detail: o.detail && r.text(o.detail) })),
      cleanupErrors: this.cleanupErrors.map((e) => r.text(e)),
    };
  }
}

/** Thrown by a scenario that cannot go on because an assumption it rests on failed (see `stopFor`). */
export class AssumptionBroken extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AssumptionBroken';
  }
}

/**
 * The error that stops a scenario when what `because` promised did not happen: an AssumptionBroken
 * (an observation) when `because` is only assumed, a plain Error (a failure) otherwise.
 */
export function stopFor(because: Expectation | undefined, message: string): Error {
  return because && severityOf(because.evidence) === 'observation' ? new AssumptionBroken(message) : new Error(message);
}

function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause ? ` (${cause.code ?? cause.message})` : '';
}
