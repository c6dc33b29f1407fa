import { Stack, Token } from 'aws-cdk-lib';

/**
 * Keeps synthesis offline in a stack with a concrete account and region. Such a stack looks its
 * availability zones up (an AWS call, failing without credentials) the first time anything reads
 * `stack.availabilityZones` - and `ec2.Vpc` reads them even when it is given explicit zones, to
 * check them. When the zones are given explicitly, the stack answers that read with them instead,
 * as the CDK guide suggests a stack do by overriding `availabilityZones`.
 *
 * Left alone: an environment-agnostic stack (no lookup happens), a lookup already in the context
 * (it is what the account really has; `ec2.Vpc` then checks the explicit zones against it), and a
 * stack class that overrides `availabilityZones` itself.
 */
export function useExplicitAvailabilityZones(stack: Stack, zones: readonly string[]): void {
  if (Token.isUnresolved(stack.account) || Token.isUnresolved(stack.region)) return;
  for (const z of zones) {
    if (!Token.isUnresolved(z) && !z.startsWith(stack.region)) {
      throw new Error(`availability zone ${z} is not in the stack's region ${stack.region} (stack ${stack.node.path})`);
    }
  }
  const key = `availability-zones:account=${stack.account}:region=${stack.region}`;
  if (stack.node.tryGetContext(key) !== undefined) return;
  const own = Object.getOwnPropertyDescriptor(stack, 'availabilityZones');
  if (own) {
    const pinned = (own.get ? own.get.call(stack) : own.value) as string[];
    const missing = zones.filter((z) => !pinned.includes(z));
    if (missing.length) {
      throw new Error(`availability zones ${missing.join(', ')} are not among the zones already pinned on stack ${stack.node.path} (${pinned.join(', ')})`);
    }
    return;
  }
  const getter = findGetter(stack);
  if (getter !== Object.getOwnPropertyDescriptor(Stack.prototype, 'availabilityZones')?.get) return; // the stack class decides
  const list = [...zones];
  Object.defineProperty(stack, 'availabilityZones', { get: () => [...list], configurable: true, enumerable: false });
}

function findGetter(o: object): (() => unknown) | undefined {
  for (let p = Object.getPrototypeOf(o); p; p = Object.getPrototypeOf(p)) {
    const d = Object.getOwnPropertyDescriptor(p, 'availabilityZones');
    if (d) return d.get;
  }
  return undefined;
}
