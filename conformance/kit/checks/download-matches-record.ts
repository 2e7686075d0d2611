import { dispositionFileName } from '../../../lib/content-disposition.ts';
import type { HeaderObject } from '../../../lib/openapi/types.ts';
import { mediaType, type Exchange } from '../exchange.ts';
import { defineCheck, CheckFailure, describeExchange, documentedResponse } from './check.ts';

/** The documented response headers the contract ties to a field of the stored record. */
function pinnedHeaders(ex: Exchange): Array<{ name: string; field: string; assumed?: string }> {
  const headers = documentedResponse(ex)?.response.headers ?? {};
  return Object.entries(headers).flatMap(([name, header]) => {
    const field = (header as HeaderObject)['x-attachkit-record-field'];
    const assumed = (header as HeaderObject)['x-attachkit-assumed'] as string | undefined;
    return typeof field === 'string' ? [{ name, field, assumed }] : [];
  });
}

function agrees(header: string, actual: string, expected: unknown): boolean {
  switch (header.toLowerCase()) {
    case 'content-disposition':
      return dispositionFileName(actual) === String(expected);
    case 'content-length':
      return Number(actual) === Number(expected);
    case 'content-type':
      return mediaType(actual) === mediaType(String(expected));
    default:
      return actual === String(expected);
  }
}

/**
 * A download's headers carry the stored record's metadata where the contract pins it: a documented
 * response header marked `x-attachkit-record-field: <field>` must agree with that field of the
 * record the scenario read (`expect.record`): the file name in Content-Disposition, the size in
 * Content-Length, the media type in Content-Type. A field the record leaves empty is not judged.
 */
export const downloadMatchesRecord = defineCheck({
  name: 'download_matches_record',
  description: "a download's headers carry the stored record's name, size and media type where the contract pins them",
  applies: (ex) => Boolean(ex.expect.record && ex.response && ex.response.status >= 200 && ex.response.status < 300 && pinnedHeaders(ex).length),
  run(ex) {
    const record = ex.expect.record!;
    const wrong = pinnedHeaders(ex).flatMap(({ name, field, assumed }) => {
      const expected = record[field];
      if (expected === undefined || expected === null || expected === '') return [];
      const actual = ex.response!.headers[name.toLowerCase()];
      if (actual !== undefined && agrees(name, actual, expected)) return [];
      return [{ name, assumed, line: `${name} ${actual === undefined ? 'is missing' : `is '${actual}'`}, the record's ${field} is ${JSON.stringify(expected)}` }];
    });
    if (wrong.length === 0) return undefined;
    // Only headers the contract marks as assumed disagree: an observation (as required_headers_present).
    const assumption = wrong.every((w) => w.assumed) ? wrong.map((w) => `${w.name}: ${w.assumed}`).join('; ') : undefined;
    return new CheckFailure(
      'download_matches_record',
      `${describeExchange(ex)}: ${wrong.map((w) => w.line).join('; ')}`,
      undefined,
      `${ex.operation!.pointer}/responses/${documentedResponse(ex)!.key}/headers`,
      assumption,
    );
  },
});
