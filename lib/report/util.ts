import { FindingResource } from '../findings';
import { ControlStatus } from './model';

/** Where a resource is, in one line: `template#LogicalId (construct/path)` or `account/region id`. */
export function whereOf(r: FindingResource): string {
  const scope = [r.account, r.region].filter(Boolean).join('/');
  if (r.template && r.logicalId) {
    return `${r.template}#${r.logicalId}${r.constructPath ? ` (${r.constructPath})` : ''}`;
  }
  if (r.constructPath) return r.constructPath;
  return scope ? `${scope} ${r.id}` : r.id;
}

export const STATUS_ICON: Record<ControlStatus, string> = {
  PASS: '✅', FAIL: '❌', ERROR: '⚠️', ACKNOWLEDGED: '📝', NO_EVIDENCE: '❔', NO_CHECK: '➖',
};

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Text safe inside a GitHub-flavoured markdown table cell. */
export function mdCell(s: string): string {
  return escapeHtml(s).replace(/([\\`*_[\]|])/g, '\\$1').replace(/\r?\n/g, '<br>');
}

export function escapeXml(s: string): string {
  // eslint-disable-next-line no-control-regex
  return escapeHtml(s).replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '');
}
