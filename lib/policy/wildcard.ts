import { CompiledPattern } from './types';
export function compilePattern(_source: string, _caseInsensitive: boolean): CompiledPattern { throw new Error('not implemented'); }
export function wildcardMatch(_pattern: string, _value: string, _caseInsensitive: boolean): boolean { throw new Error('not implemented'); }
