import { ApiFailure, FailureKind } from './types';

const DENIED = new Set([
  'AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'UnauthorizedException',
  'AuthorizationError', 'AuthFailure', 'UnrecognizedClientException', 'InvalidClientTokenId',
  'ExpiredToken', 'ExpiredTokenException', 'SignatureDoesNotMatch', 'NotAuthorized',
]);
const THROTTLED = new Set([
  'Throttling', 'ThrottlingException', 'ThrottledException', 'TooManyRequestsException',
  'RequestLimitExceeded', 'SlowDown', 'LimitExceeded', 'LimitExceededException', 'RequestThrottled',
]);
const TIMEOUT = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'AbortError']);

interface SdkLikeError {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

/** The service's error code, as the SDK exposes it. */
export function errorCode(e: unknown): string {
  const err = e as SdkLikeError;
  return err?.name ?? err?.code ?? 'Error';
}

/** Classifies an SDK error into a recorded failure naming the action that failed. */
export function toFailure(action: string, e: unknown): ApiFailure {
  const err = e as SdkLikeError;
  const code = errorCode(e);
  const message = (err?.message ?? String(e)).split('\n')[0];
  const status = err?.$metadata?.httpStatusCode;
  let kind: FailureKind = 'error';
  if (DENIED.has(code) || status === 403) kind = 'access-denied';
  else if (THROTTLED.has(code) || status === 429) kind = 'throttled';
  else if (TIMEOUT.has(code) || /timed? ?out|ETIMEDOUT|socket hang up/i.test(message)) kind = 'timeout';
  return { action, kind, code, message };
}

const KIND_TEXT: Record<FailureKind, string> = {
  'access-denied': 'access denied',
  'throttled': 'throttled past the retries',
  'timeout': 'timed out',
  'stale': 'stale data',
  'error': 'failed',
};

/** One line for a finding message: "cannot verify: iam:GetCredentialReport access denied (AccessDenied: ...)". */
export function describeFailure(f: ApiFailure): string {
  return `cannot verify: ${f.action} ${KIND_TEXT[f.kind]} (${f.code ? `${f.code}: ` : ''}${f.message})`;
}
