import { RequestContext, Unknown } from './types';
export function resolveVariables(_text: string, _ctx: RequestContext): string | Unknown | undefined { throw new Error('not implemented'); }
