import { ControlReport, ReportModel, ResourceEntry, STATUS_LABEL } from './model';
import { escapeXml as x, whereOf } from './util';

interface Case { readonly xml: string; readonly failure: boolean; readonly error: boolean; readonly skipped: boolean }

function resourceCase(c: ControlReport, r: ResourceEntry): Case {
  const name = `${r.source}: ${whereOf(r.resource)}`;
  const open = `<testcase classname="cdk-hardening.${x(c.lessonId)}.${x(c.id)}" name="${x(name)}">`;
  const fails = r.rules.filter((k) => k.status === 'FAIL');
  const errors = r.rules.filter((k) => k.status === 'ERROR');
  const acks = r.rules.filter((k) => k.status === 'ACKNOWLEDGED');
  const body: string[] = [];
  let failure = false;
  let error = false;
  if (fails.length) {
    failure = true;
    const detail = [...fails, ...errors].map((k) => `${k.status} ${k.ruleId}: ${k.message}${k.remediation ? `\nfix: ${k.remediation}` : ''}`).join('\n');
    body.push(`<failure type="${x(fails[0].ruleId)}" message="${x(fails.map((k) => k.message).join(' / '))}">${x(detail)}</failure>`);
  } else if (errors.length) {
    error = true;
    body.push(`<error type="${x(errors[0].ruleId)}" message="${x(`cannot verify: ${errors.map((k) => k.message).join(' / ')}`)}">${x(errors.map((k) => `${k.ruleId}: ${k.message}`).join('\n'))}</error>`);
  }
  if (acks.length) {
    const ackOf = (ruleId: string) => c.acknowledgements.find((a) => a.ruleId === ruleId && a.resource.id === r.resource.id && a.source === r.source);
    const props = acks.map((k) => {
      const a = ackOf(k.ruleId);
      return `<property name="acknowledged" value="${x(`${k.ruleId} by ${a?.owner ?? '?'} until ${a?.expires ?? '?'}: ${a?.reason ?? ''}`)}"/>`;
    });
    body.unshift(`<properties>${props.join('')}</properties>`);
    body.push(`<system-out>${x(acks.map((k) => {
      const a = ackOf(k.ruleId);
      return `ACKNOWLEDGED ${k.ruleId}: ${k.message}\nowner ${a?.owner ?? '?'}, expires ${a?.expires ?? '?'}${a?.ticket ? `, ticket ${a.ticket}` : ''}\nreason: ${a?.reason ?? ''}`;
    }).join('\n'))}</system-out>`);
  }
  return { xml: `${open}${body.join('')}</testcase>`, failure, error, skipped: false };
}

function emptyCase(c: ControlReport): Case {
  const why = `design time: ${STATUS_LABEL[c.designStatus]}, live: ${STATUS_LABEL[c.liveStatus]} — the control is not proven`;
  return {
    xml: `<testcase classname="cdk-hardening.${x(c.lessonId)}.${x(c.id)}" name="${x(`${c.id}: no resource evaluated`)}"><skipped message="${x(why)}"/></testcase>`,
    failure: false, error: false, skipped: true,
  };
}

/**
 * JUnit XML: a test suite per control, a test case per control and resource. FAIL → <failure>
 * (with any ERROR of the same resource in its text), ERROR alone → <error> ("cannot verify"),
 * ACKNOWLEDGED → a passing case carrying an `acknowledged` property and the owner, expiry and
 * reason in <system-out> — it was evaluated and accepted, so it is neither failed nor "skipped";
 * an expired acknowledgement is a FAIL. A control with no evaluated resource gets one <skipped> case,
 * so it is visible and never counted as passed.
 */
export function renderJunitReport(m: ReportModel): string {
  const suites: string[] = [];
  const total = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  for (const l of m.lessons) {
    for (const c of l.controls) {
      const cases = c.resources.length ? c.resources.map((r) => resourceCase(c, r)) : [emptyCase(c)];
      const n = {
        tests: cases.length,
        failures: cases.filter((k) => k.failure).length,
        errors: cases.filter((k) => k.error).length,
        skipped: cases.filter((k) => k.skipped).length,
      };
      total.tests += n.tests; total.failures += n.failures; total.errors += n.errors; total.skipped += n.skipped;
      const props = [
        `<property name="lesson" value="${x(`${l.id} ${l.title}`)}"/>`,
        `<property name="status" value="${c.status}"/>`,
        `<property name="designStatus" value="${c.designStatus}"/>`,
        `<property name="liveStatus" value="${c.liveStatus}"/>`,
        `<property name="citations" value="${x(c.citations.map((k) => k.tag).join(', '))}"/>`,
      ].join('');
      suites.push(`  <testsuite name="${x(`${c.id}: ${c.title}`)}" tests="${n.tests}" failures="${n.failures}" errors="${n.errors}" skipped="${n.skipped}" timestamp="${m.generatedAt}">\n`
        + `    <properties>${props}</properties>\n`
        + cases.map((k) => `    ${k.xml}\n`).join('')
        + '  </testsuite>');
    }
  }
  return '<?xml version="1.0" encoding="UTF-8"?>\n'
    + `<testsuites name="${x(m.title)}" tests="${total.tests}" failures="${total.failures}" errors="${total.errors}" skipped="${total.skipped}" timestamp="${m.generatedAt}">\n`
    + suites.join('\n') + (suites.length ? '\n' : '')
    + '</testsuites>\n';
}
