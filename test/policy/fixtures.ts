/** Principals, resources and statement builders shared by the evaluator's tests. */
export const A = '111122223333';
export const B = '444455556666';
export const ALICE = `arn:aws:iam::${A}:user/alice`;
export const SESSION = `arn:aws:sts::${A}:assumed-role/app-role/s1`;
export const ROLE = `arn:aws:iam::${A}:role/app-role`;
export const BOB = `arn:aws:iam::${B}:user/bob`;
export const QUEUE = `arn:aws:sqs:us-east-1:${A}:queue1`;
export const KEY = `arn:aws:kms:us-east-1:${A}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

export const doc = (...Statement: object[]) => ({ Version: '2012-10-17', Statement });
export const allow = (Action: string | string[], Resource: string | string[] = '*', extra: object = {}) => ({ Effect: 'Allow', Action, Resource, ...extra });
export const deny = (Action: string | string[], Resource: string | string[] = '*', extra: object = {}) => ({ Effect: 'Deny', Action, Resource, ...extra });
