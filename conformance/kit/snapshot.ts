import { mediaType, type Exchange } from './exchange.ts';
import { sha256 } from './hash.ts';
import type { Redactor } from './redactor.ts';
import type { ExchangeSummary } from './report.ts';

const excerptLimit = 2000;

/** One exchange as reports show it: redacted, bodies cut to an excerpt, binary bodies described. */
export function summariseExchange(ex: Exchange, r: Redactor): ExchangeSummary {
  return {
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
  };
}

function bodyText(body: Buffer, contentType: string | undefined): string {
  const type = mediaType(contentType) ?? '';
  const textual = type.startsWith('text/') || type.includes('json') || type.includes('xml') || type === '';
  if (textual && !looksBinary(body)) return body.subarray(0, excerptLimit).toString('utf8');
  const hex = body.subarray(0, 32).toString('hex').replace(/(..)/g, '$1 ').trim();
  return `<${body.length} bytes of ${type || 'unknown type'}, sha256 ${sha256(body).slice(0, 16)}…; first bytes: ${hex}>`;
}

/** Bytes a text excerpt would garble: NUL, other control characters, invalid UTF-8. */
function looksBinary(body: Buffer): boolean {
  const sample = body.subarray(0, 4096);
  if (sample.includes(0)) return true;
  let control = 0;
  for (const byte of sample) if (byte < 0x09 || (byte > 0x0d && byte < 0x20)) control++;
  return control > sample.length / 100 || sample.toString('utf8').includes('\uFFFD');
}
