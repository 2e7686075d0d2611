import type { HeaderObject } from '../../../lib/openapi/types.ts';
import { defineCheck, CheckFailure, describeExchange, documentedResponse } from './check.ts';

/** Headers the documented response marks `required: true` are present (e.g. Content-Disposition on downloads). */
export const requiredHeadersPresent = defineCheck({
  name: 'required_headers_present',
  description: 'every header the documented response marks required is present',
  applies: (ex) => Boolean(ex.operation && ex.response && documentedResponse(ex)?.response.headers),
  run(ex) {
    const { key, response } = documentedResponse(ex)!;
    const missing = Object.entries(response.headers ?? {})
      .filter(([, header]) => (header as HeaderObject).required === true)
      .map(([name]) => name)
      .filter((name) => ex.response!.headers[name.toLowerCase()] === undefined);
    if (missing.length === 0) return undefined;
    return new CheckFailure(
      'required_headers_present',
      `${describeExchange(ex)}: missing required header${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`,
      undefined,
      `${ex.operation!.pointer}/responses/${key}/headers`,
    );
  },
});
