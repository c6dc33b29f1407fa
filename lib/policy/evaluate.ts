import { EvaluationResult, PolicyRequest, PolicySet } from './types';
/** The whole decision, AWS's evaluation sequence. */
export function evaluate(_request: PolicyRequest, _policies: PolicySet): EvaluationResult { throw new Error('not implemented'); }
