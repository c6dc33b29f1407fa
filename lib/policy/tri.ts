import { Match, Unknown, isUnknown } from './types';

/** Three-valued OR: true wins, then Unknown, then false. */
export function or3(results: Iterable<Match>): Match {
  let pending: Unknown | undefined;
  for (const r of results) {
    if (r === true) return true;
    if (r !== false) pending = pending ?? r;
  }
  return pending ?? false;
}

/** Three-valued AND: false wins, then Unknown, then true. */
export function and3(results: Iterable<Match>): Match {
  let pending: Unknown | undefined;
  for (const r of results) {
    if (r === false) return false;
    if (r !== true) pending = pending ?? r;
  }
  return pending ?? true;
}

/** Three-valued NOT. */
export function not3(r: Match): Match {
  return isUnknown(r) ? r : !r;
}
