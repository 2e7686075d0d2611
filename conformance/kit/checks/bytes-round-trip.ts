import { createHash } from 'node:crypto';
import { defineCheck, CheckFailure, describeExchange } from './check.ts';

/** The downloaded bytes are the uploaded bytes (sha256). */
export const bytesRoundTrip = defineCheck({
  name: 'bytes_round_trip',
  description: 'a download returns exactly the uploaded bytes (sha256)',
  applies: (ex) => Boolean(ex.expect.sha256 && ex.response && ex.response.status >= 200 && ex.response.status < 300),
  run(ex) {
    const body = ex.response!.body;
    const actual = createHash('sha256').update(body).digest('hex');
    if (actual === ex.expect.sha256) return undefined;
    return new CheckFailure(
      'bytes_round_trip',
      `${describeExchange(ex)}: downloaded ${body.length} bytes differ from the upload (sha256 ${actual.slice(0, 12)}… ≠ ${ex.expect.sha256!.slice(0, 12)}…)`,
    );
  },
});
