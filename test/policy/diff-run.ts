// ad-hoc runner (not a test): npx tsx test/policy/diff-run.ts SEED N
import { evaluate } from '../../lib/policy';
import { generateCase } from './generator';
import { oracleDecide } from './oracle';

const MAP = { Allow: 'Allowed', ExplicitDeny: 'ExplicitlyDenied', ImplicitDeny: 'ImplicitlyDenied', Undecidable: 'Undecidable' } as const;

async function main() {
  const seed = Number(process.argv[2] ?? 1); const n = Number(process.argv[3] ?? 500);
  const dist: Record<string, number> = {};
  let bad = 0; let errors = 0; const t0 = Date.now(); let ignoredCount = 0;
  for (let i = 0; i < n; i++) {
    const c = generateCase(seed, i);
    let o;
    try { o = await oracleDecide(c.request, c.policies); } catch (e) { errors++; if (errors < 3) console.log('ERR', (e as Error).message); continue; }
    let req = c.request;
    if (o.ignoredContextKeys.length) {
      ignoredCount++;
      const ctx = { ...req.context };
      for (const k of o.ignoredContextKeys) for (const kk of Object.keys(ctx)) if (kk.toLowerCase() === k.toLowerCase()) delete ctx[kk];
      req = { ...req, context: ctx };
    }
    const ours = evaluate(req, c.policies);
    dist[ours.decision] = (dist[ours.decision] ?? 0) + 1;
    if (MAP[ours.decision] !== o.decision) {
      bad++;
      if (bad <= Number(process.argv[4] ?? 5)) console.log(JSON.stringify({ id: i, ours: ours.decision, reason: ours.reason, oracle: o.decision, ignored: o.ignoredContextKeys, request: req, policies: c.policies }));
    }
  }
  console.log(dist, { n, bad, errors, ignoredCount, ms: Date.now() - t0 });
}
void main();
