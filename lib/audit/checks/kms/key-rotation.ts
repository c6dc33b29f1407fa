import { defineCheck } from '../check';
import { forEachKey, keyName, keyResource } from './scope';

/**
 * Every key of the hardened environment is enabled, customer-managed and, when symmetric, rotates
 * automatically. A key disabled or pending deletion is FAIL too: that is how ransomware inhibits recovery.
 */
export default defineCheck({
  id: 'kms-key-rotation',
  controlId: 'DATA-ROTATION',
  title: 'Hardened keys enabled with rotation on',
  severity: 'error',
  remediation: 'aws kms enable-key-rotation --key-id KEY; for a key pending deletion, aws kms cancel-key-deletion and enable-key, then find out who scheduled it (CloudTrail ScheduleKeyDeletion).',
}, (s, _settings, emit) => {
  forEachKey(s, emit, (region, k) => {
    const r = keyResource(s, region, k);
    if (!k.metadata.ok) return emit.error(r, k.metadata.failure);
    const m = k.metadata.value;
    if (m.state !== 'Enabled') return emit.fail(r, `key ${keyName(k)} (${k.foundBy}) is ${m.state}`);
    if (m.manager !== 'CUSTOMER') return emit.fail(r, `key ${keyName(k)} (${k.foundBy}) is managed by ${m.manager}, not the customer`);
    if (m.spec !== 'SYMMETRIC_DEFAULT') return emit.pass(r, `key ${keyName(k)} is ${m.spec}: AWS rotates only symmetric keys automatically`);
    if (!k.rotation.ok) return emit.error(r, k.rotation.failure);
    if (k.rotation.value) emit.pass(r, `key ${keyName(k)} rotates automatically`);
    else emit.fail(r, `key ${keyName(k)} (${k.foundBy}) has automatic rotation off`);
  });
});
