import { ConfigError, alertEmailProblem, parseConfig, reservedDomainOf } from '../../lib/config';
import { cdkJsonContext } from '../helpers/app';

/** Issue 10 item 12: an address at a reserved domain pretends that alerts reach people. */
const problems = (emails: unknown): string => {
  try {
    parseConfig({ ...cdkJsonContext(), 'hardening:alertEmails': emails });
    return '';
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return e.message;
  }
};

describe('hardening:alertEmails', () => {
  it.each([
    ['security-alerts@example.com', 'example.com'],
    ['soc@EXAMPLE.NET', 'example.net'],
    ['soc@mail.example.org', 'example.org'],
    ['soc@corp.example', '.example'],
    ['soc@alerts.test', '.test'],
    ['soc@nowhere.invalid', '.invalid'],
    ['soc@box.localhost', '.localhost'],
    ['soc@example.com.', 'example.com'],
  ])('fails when an address is at a reserved domain: %s', (email, reserved) => {
    expect(reservedDomainOf(email)).toBe(reserved);
    const message = problems([email]);
    expect(message).toContain(`hardening:alertEmails[0]=${JSON.stringify(email)}`);
    expect(message).toContain(`'${email}' is at ${reserved}, a domain reserved for documentation and tests (RFC 2606, RFC 6761)`);
  });

  it.each(['soc@bank.com', 'oncall@mortgage-servicer.co.uk', 'a@examples.com', 'a@example.company', 'a@myexample.com', 'a@bank.internal'])(
    'accepts a deliverable domain: %s', (email) => {
      expect(alertEmailProblem(email)).toBeUndefined();
      expect(parseConfig({ ...cdkJsonContext(), 'hardening:alertEmails': [email] }).alertEmails).toEqual([email]);
    });

  it('reports every bad address at once, each once, malformed ones as malformed', () => {
    const message = problems(['ok@bank.com', 'x@example.com', 'not-an-address']);
    expect(message).toContain('invalid configuration (2 problems)');
    expect(message).toContain("hardening:alertEmails[1]=\"x@example.com\": 'x@example.com' is at example.com");
    expect(message).toContain('hardening:alertEmails[2]="not-an-address": must be an e-mail address');
  });

  it('fails when the list is given but empty', () => {
    expect(problems([])).toContain('hardening:alertEmails=[]: must list at least one address');
  });

  it('when unset (as in cdk.json), no address is invented: the stacks ask at deploy time', () => {
    expect(cdkJsonContext()['hardening:alertEmails']).toBeUndefined();
    expect(parseConfig(cdkJsonContext()).alertEmails).toBeUndefined();
  });

  it('reads the list form of -c as well', () => {
    expect(problems('soc@example.com')).toContain('is at example.com');
    expect(parseConfig({ 'hardening:alertEmails': 'a@bank.com,b@bank.com' }).alertEmails).toEqual(['a@bank.com', 'b@bank.com']);
  });
});
