import { Match, ParsedCondition, RequestContext } from './types';
export function evaluateCondition(_cond: ParsedCondition, _ctx: RequestContext): Match { throw new Error('not implemented'); }
