import { ParsedPolicy, PolicyType, RequestContext, StatementRef } from './types';
/** Which statements of one document allow or deny a request; `unknown*` depend on Unknown values. */
export interface PolicyEvaluation {
  readonly allows: readonly StatementRef[];
  readonly denies: readonly StatementRef[];
  readonly unknownAllows: ReadonlyArray<{ readonly ref: StatementRef; readonly reason: string }>;
  readonly unknownDenies: ReadonlyArray<{ readonly ref: StatementRef; readonly reason: string }>;
}
export function evaluatePolicy(_policy: ParsedPolicy, _type: PolicyType, _ctx: RequestContext): PolicyEvaluation { throw new Error('not implemented'); }
