/**
 * The values a policy document's conditions give its keys, read without evaluating anything: the pack's
 * questions build requests from them (the accounts, addresses and services a policy names), the replay
 * finds the addresses an office range names, and the KMS rules find the principals a key policy names.
 */

/**
 * Every [key as written, value, operator as written, the statement's Effect] of a document's conditions (each
 * value of a list on its own; a number or boolean written without quotes as the string the parser reads it as).
 * A document given as JSON text is parsed; text that is not JSON throws (the caller names the document).
 */
export function conditionPairs(doc: unknown): Array<[string, unknown, string, unknown]> {
  const raw = ((typeof doc === 'string' ? JSON.parse(doc) : doc) as { Statement?: unknown } | null)?.Statement;
  const out: Array<[string, unknown, string, unknown]> = [];
  for (const s of Array.isArray(raw) ? raw : [raw]) {
    const { Condition: condition, Effect: effect } = (s ?? {}) as { Condition?: unknown; Effect?: unknown };
    if (!condition || typeof condition !== 'object') continue;
    for (const [operator, block] of Object.entries(condition as Record<string, unknown>)) {
      if (!block || typeof block !== 'object') continue;
      for (const [k, v] of Object.entries(block as Record<string, unknown>)) {
        for (const x of Array.isArray(v) ? v : [v]) out.push([k, typeof x === 'number' || typeof x === 'boolean' ? String(x) : x, operator, effect]);
      }
    }
  }
  return out;
}

/** Every value a document's conditions give a key (`keyLower`: any case of the key name, any operator), unresolved ones included. */
export function conditionEntries(doc: unknown, keyLower: string): unknown[] {
  return conditionPairs(doc).filter(([k]) => k.toLowerCase() === keyLower).map(([, v]) => v);
}

/** Every string value a document's conditions give a key (`keyLower`: any case of the key name, any operator). */
export function conditionValues(doc: unknown, keyLower: string): string[] {
  return conditionEntries(doc, keyLower).filter((x): x is string => typeof x === 'string');
}
