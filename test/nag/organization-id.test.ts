import { isOrganizationId } from '../../lib/nag/organization-id';

/** The organization id the pack's organizationId prop and `check --organization-id` accept: o- and 10 to 32 lowercase letters or digits. */
describe('isOrganizationId', () => {
  test('o- followed by 10 to 32 lowercase letters or digits', () => {
    for (const id of ['o-a1b2c3d4e5', `o-${'a'.repeat(32)}`, 'o-0123456789']) expect([id, isOrganizationId(id)]).toEqual([id, true]);
  });
  test('one character too few or too many, another alphabet, text around it, or no string at all', () => {
    for (const id of ['o-a1b2c3d4e', `o-${'a'.repeat(33)}`, 'o-A1B2C3D4E5', 'o-a1b2c3d4e!', 'xo-a1b2c3d4e5', 'o-a1b2c3d4e5 ', 'r-a1b2c3d4e5', 'a1b2c3d4e5', '', 123, undefined, ['o-a1b2c3d4e5']]) {
      expect([id, isOrganizationId(id)]).toEqual([id, false]);
    }
  });
});
