/**
 * Alert addresses (IR-ROUTING): an address at a domain reserved for documentation or testing can
 * never receive mail, so configuring one pretends that alerts reach people while they reach nobody.
 */

/** Second-level domains RFC 2606 section 3 reserves for documentation. */
const RESERVED_SECOND_LEVEL = ['example.com', 'example.net', 'example.org'];
/** Top-level domains RFC 2606 section 2 and RFC 6761 reserve for testing, examples and invalid names. */
const RESERVED_TOP_LEVEL = ['example', 'test', 'invalid', 'localhost'];

/** The shape of an e-mail address (what SNS accepts is checked by SNS). */
export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The reserved name (e.g. `example.com`, `.test`) an address's domain falls under, or undefined. */
export function reservedDomainOf(email: string): string | undefined {
  const at = email.lastIndexOf('@');
  const domain = email.slice(at + 1).toLowerCase().replace(/\.$/, '');
  const labels = domain.split('.');
  const tld = labels[labels.length - 1];
  if (RESERVED_TOP_LEVEL.includes(tld)) return `.${tld}`;
  const sld = labels.slice(-2).join('.');
  return RESERVED_SECOND_LEVEL.includes(sld) ? sld : undefined;
}

/** What is wrong with an alert address, in words, or undefined when it can receive alerts. */
export function alertEmailProblem(email: string): string | undefined {
  if (!EMAIL.test(email)) return `'${email}' is not an e-mail address`;
  const reserved = reservedDomainOf(email);
  if (reserved) {
    return `'${email}' is at ${reserved}, a domain reserved for documentation and tests (RFC 2606, RFC 6761): `
      + 'no alert would reach anyone. Give the on-call address, or leave hardening:alertEmails unset to be asked for it at deploy time';
  }
  return undefined;
}
