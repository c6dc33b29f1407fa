import { PolicyRequest, RequestContext } from './types';
/** Prepares a request once for many statements. */
export function buildContext(_request: PolicyRequest): RequestContext { throw new Error('not implemented'); }
