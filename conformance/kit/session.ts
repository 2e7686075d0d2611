import { createHash, randomUUID } from 'node:crypto';
import { findApi, specFile, type ApiEntry } from '../../registry.ts';
import { loadSpec } from '../../lib/openapi/load-spec.ts';
import { OperationIndex, type IndexedOperation } from '../../lib/openapi/operation-index.ts';
import type { AuthMode, AuthStrategy, ConformanceApi } from './conformance-api.ts';
import { mediaType, type Exchange, type Expectation } from './exchange.ts';
import { CheckFailure } from './checks/check.ts';
import { runChecks, type CheckOutcome } from './checks/registry.ts';
import { Redactor } from './redactor.ts';
import { SchemaValidator } from './schema-validator.ts';
import { currentTarget, type Target } from './target.ts';

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
  expect?: Expectation;
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

export interface RecordedOutcome {
  check: string;
  passed: boolean;
  /** A failure the deployment's baseline accepts. */
  known?: boolean;
  exchange?: number;
  title?: string;
  detail?: string;
  rule?: string;
}

export interface ExchangeSummary {
  index: number;
  step: string;
  operationId?: string;
  method: string;
  url: string;
  status?: number;
  durationMs: number;
  transportError?: string;
  request: { headers: Record<string, string>; bodyExcerpt: string; bodyBytes: number };
  response?: { headers: Record<string, string>; bodyExcerpt: string; bodyBytes: number };
}

export interface ScenarioRecord {
  api: string;
  exchanges: ExchangeSummary[];
  outcomes: RecordedOutcome[];
  cleanupErrors: string[];
}

interface Contract {
  entry: ApiEntry;
  api: ConformanceApi;
  index: OperationIndex;
  validator: SchemaValidator;
}

let contract: Promise<Contract> | undefined;

function loadContract(target: Target): Promise<Contract> {
  contract ??= (async () => {
    const entry = findApi(target.api);
    if (!entry) throw new Error(`unknown API ${target.api}`);
    const index = new OperationIndex(loadSpec(specFile(entry)));
    return { entry, api: await entry.conformance(), index, validator: new SchemaValidator(index.doc) };
  })();
  return contract;
}

const excerptLimit = 2000;

/**
 * One scenario's conversation with the target: builds requests from the contract by
 * operationId, records every exchange (redacted), runs the shared checks on it, and keeps the
 * clean-up steps that must run whatever happens.
 */
export class Session {
  readonly exchanges: Exchange[] = [];
  readonly outcomes: RecordedOutcome[] = [];
  readonly redactor = new Redactor();
  private readonly cleanups: Array<{ label: string; run: () => Promise<unknown> }> = [];
  private readonly cleanupErrors: string[] = [];
  private authStrategy?: AuthStrategy;

  private constructor(
    readonly target: Target,
    readonly contract: Contract,
  ) {
    for (const option of contract.entry.credentials) {
      if (option.secret) this.redactor.add(target.credentials[option.flag]);
    }
  }

  static async open(target: Target = currentTarget()): Promise<Session> {
    return new Session(target, await loadContract(target));
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
    const path = OperationIndex.fill(operation.path, options.path ?? {});
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
    let body: BodyInit | undefined;
    let excerpt = '';
    let bodyBytes = 0;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers['Content-Type'] ??= options.contentType ?? 'application/json';
      excerpt = body;
      bodyBytes = Buffer.byteLength(body);
    } else if (options.text !== undefined) {
      body = options.text;
      headers['Content-Type'] ??= options.contentType ?? 'text/plain';
      excerpt = options.text;
      bodyBytes = Buffer.byteLength(options.text);
    } else if (options.bytes !== undefined) {
      body = new Uint8Array(options.bytes);
      if (options.contentType) headers['Content-Type'] = options.contentType;
      excerpt = `<${options.bytes.length} bytes>`;
      bodyBytes = options.bytes.length;
    } else if (options.form !== undefined) {
      body = options.form;
      excerpt = describeForm(options.form);
    }

    const started = performance.now();
    const exchange: Exchange = {
      index: this.exchanges.length,
      step: options.step ?? `${method} ${url.pathname}`,
      request: { method, url: url.toString(), headers, bodyExcerpt: excerpt, bodyBytes },
      operation,
      expect: options.expect ?? {},
      durationMs: 0,
    };
    try {
      const response = await fetch(url, { method, headers, body, redirect: 'manual', signal: AbortSignal.timeout(120_000) });
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
    for (const outcome of runChecks(exchange, { validator: this.contract.validator })) this.record(outcome, exchange.index);

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

  private record(outcome: CheckOutcome, exchange: number): void {
    const f = outcome.failure;
    this.outcomes.push({ check: outcome.check, passed: outcome.passed, exchange, title: f?.title, detail: f?.detail, rule: f?.rule });
  }

  /** A behavioural expectation of the scenario (e.g. "PUT unlinks omitted attachments"). */
  verify(check: string, ok: boolean, title: string, detail?: string): boolean {
    const exchange = this.exchanges.length ? this.exchanges.length - 1 : undefined;
    this.outcomes.push({ check, passed: ok, exchange, title: ok ? undefined : title, detail: ok ? undefined : detail });
    return ok;
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
      exchanges: this.exchanges.map((ex) => ({
        index: ex.index,
        step: r.text(ex.step),
        operationId: ex.operation?.operationId,
        method: ex.request.method,
        url: r.text(ex.request.url),
        status: ex.response?.status,
        durationMs: ex.durationMs,
        transportError: ex.transportError,
        request: { headers: r.headers(ex.request.headers), bodyExcerpt: r.text(ex.request.bodyExcerpt.slice(0, excerptLimit)), bodyBytes: ex.request.bodyBytes },
        response: ex.response && {
          headers: r.headers(ex.response.headers),
          bodyExcerpt: r.text(bodyText(ex.response.body, ex.response.headers['content-type'])),
          bodyBytes: ex.response.body.length,
        },
      })),
      outcomes: this.outcomes.map((o) => ({ ...o, title: o.title && r.text(o.title), detail: o.detail && r.text(o.detail) })),
      cleanupErrors: this.cleanupErrors.map((e) => r.text(e)),
    };
  }
}

function bodyText(body: Buffer, contentType: string | undefined): string {
  const type = mediaType(contentType) ?? '';
  const textual = type.startsWith('text/') || type.includes('json') || type.includes('xml') || type === '';
  if (textual && !looksBinary(body)) return body.subarray(0, excerptLimit).toString('utf8');
  const hex = body.subarray(0, 32).toString('hex').replace(/(..)/g, '$1 ').trim();
  return `<${body.length} bytes of ${type || 'unknown type'}, sha256 ${createHash('sha256').update(body).digest('hex').slice(0, 16)}…; first bytes: ${hex}>`;
}

/** Bytes a text excerpt would garble: NUL, other control characters, invalid UTF-8. */
function looksBinary(body: Buffer): boolean {
  const sample = body.subarray(0, 4096);
  if (sample.includes(0)) return true;
  let control = 0;
  for (const byte of sample) if (byte < 0x09 || (byte > 0x0d && byte < 0x20)) control++;
  return control > sample.length / 100 || sample.toString('utf8').includes('\uFFFD');
}

function describeForm(form: FormData): string {
  const parts: string[] = [];
  form.forEach((value, name) => {
    parts.push(typeof value === 'string' ? `${name}=${value.slice(0, 80)}` : `${name}=<file ${(value as File).name}, ${value.size} bytes>`);
  });
  return `multipart/form-data: ${parts.join('; ')}`;
}

function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause ? ` (${cause.code ?? cause.message})` : '';
}

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export function newRunId(): string {
  return randomUUID().slice(0, 8);
}

export { CheckFailure };
