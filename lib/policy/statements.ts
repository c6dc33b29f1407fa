import { Match, ParsedStatement, RequestContext } from './types';
export function matchAction(_stmt: ParsedStatement, _action: string): boolean { throw new Error('not implemented'); }
export function matchResource(_stmt: ParsedStatement, _ctx: RequestContext): Match { throw new Error('not implemented'); }
export function matchPrincipal(_stmt: ParsedStatement, _ctx: RequestContext): Match { throw new Error('not implemented'); }
export function matchConditions(_stmt: ParsedStatement, _ctx: RequestContext): Match { throw new Error('not implemented'); }
export function statementApplies(_stmt: ParsedStatement, _ctx: RequestContext, _checkPrincipal: boolean): Match { throw new Error('not implemented'); }
