import { defineCheck, CheckFailure, describeExchange, documentedResponse } from './check.ts';

export const statusCodeDocumented = defineCheck({
  name: 'status_code_documented',
  description: 'the response status is one the contract documents for the operation',
  applies: (ex) => Boolean(ex.operation && ex.response),
  run(ex) {
    if (documentedResponse(ex)) return undefined;
    const documented = Object.keys(ex.operation!.responses).join(', ');
    return new CheckFailure(
      'status_code_documented',
      `${describeExchange(ex)}: status ${ex.response!.status} is not documented (documented: ${documented})`,
      undefined,
      `${ex.operation!.pointer}/responses`,
    );
  },
});
