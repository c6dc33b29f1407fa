import { AccountSnapshot } from '../../types';
import { defineCheck } from '../check';
import { forEachAccountRegion } from './scope';

const resource = (s: AccountSnapshot, region: string) => ({
  id: `arn:${s.partition}:access-analyzer:${region}:${s.account}:analyzer`, type: 'AWS::AccessAnalyzer::Analyzer', account: s.account, region,
});

/** Analyzers that find external access (unused-access analyzers do not). */
const EXTERNAL = new Set(['ACCOUNT', 'ORGANIZATION']);

/** An ACTIVE IAM Access Analyzer for external access (account or organization zone of trust) in every audited region. */
export default defineCheck({
  id: 'account-access-analyzer',
  controlId: 'DATA-PUBLIC',
  title: 'IAM Access Analyzer in every region',
  severity: 'error',
  remediation: 'aws accessanalyzer create-analyzer --analyzer-name external-access --type ACCOUNT --region REGION (or ORGANIZATION from the delegated administrator).',
}, (s, _settings, emit) => {
  forEachAccountRegion(s, emit, (r) => resource(s, r), 'access-analyzer:ListAnalyzers', (r) => r.accessAnalyzers, (region, analyzers) => {
    const active = analyzers.filter((a) => EXTERNAL.has(a.type) && a.status === 'ACTIVE');
    if (active.length > 0) return emit.pass(resource(s, region), `external-access analyzer ${active.map((a) => a.name).join(', ')} is active in ${region}`);
    const seen = analyzers.map((a) => `${a.name} (${a.type}, ${a.status})`).join(', ');
    emit.fail(resource(s, region), `no active external-access analyzer in ${region}${seen ? `: ${seen}` : ''}`);
  });
});
