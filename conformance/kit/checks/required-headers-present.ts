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
      .filter(([name, header]) => (header as HeaderObject).required === true && ex.response!.headers[name.toLowerCase()] === undefined)
      .map(([name, header]) => ({ name, assumed: (header as HeaderObject)['x-attachkit-assumed'] as string | undefined }));
    if (missing.length === 0) return undefined;
    const names = missing.map((m) => m.name);
    // Only headers the contract marks as assumed are missing: an observation.
    const assumption = missing.every((m) => m.assumed) ? missing.map((m) => `${m.name}: ${m.assumed}`).join('; ') : undefined;
    return new CheckFailure(
      'required_headers_present',
      `${describeExchange(ex)}: missing required header${names.length > 1 ? 's' : ''} ${names.join(', ')}`,
      undefined,
      `${ex.operation!.pointer}/responses/${key}/headers`,
      assumption,
    );
  },
});
