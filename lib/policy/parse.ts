import { ParsedPolicy, PolicyDocumentInput } from './types';
/** Parses and normalizes a policy document once. */
export function parsePolicy(_document: PolicyDocumentInput | ParsedPolicy, _name: string): ParsedPolicy { throw new Error('not implemented'); }
