import { defineCheck, CheckFailure, describeExchange } from './check.ts';

/** A declared Content-Length equals the bytes received; a cut transfer is reported, not ignored. */
export const contentLengthMatches = defineCheck({
  name: 'content_length_matches',
  description: 'the body arrives whole: Content-Length equals the bytes received and the transfer completes',
  applies: (ex) => Boolean(ex.transportError || ex.response?.headers['content-length'] !== undefined),
  run(ex) {
    if (ex.transportError) return new CheckFailure('content_length_matches', `${describeExchange(ex)}: transfer failed: ${ex.transportError}`);
    const declared = Number(ex.response!.headers['content-length']);
    const received = ex.response!.body.length;
    if (ex.request.method === 'HEAD' || declared === received) return undefined;
    return new CheckFailure('content_length_matches', `${describeExchange(ex)}: Content-Length ${declared} but ${received} bytes received`);
  },
});
