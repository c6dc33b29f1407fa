import { AccountSnapshot } from '../../types';
import { defineCheck } from '../check';
import { forEachAccountRegion } from './scope';

const resource = (s: AccountSnapshot, region: string) => ({
  id: `arn:${s.partition}:config:${region}:${s.account}:configuration-recorder`, type: 'AWS::Config::ConfigurationRecorder', account: s.account, region,
});

/**
 * AWS Config records every supported resource type in every audited region, and its last delivery
 * did not fail: stopping the recorder is how an attacker hides the changes it makes (lesson L7).
 */
export default defineCheck({
  id: 'account-config-recording',
  controlId: 'LOG-TAMPER',
  title: 'AWS Config recording in every region',
  severity: 'error',
  remediation: 'aws configservice put-configuration-recorder (allSupported=true) and start-configuration-recorder in the region; find out who stopped it (CloudTrail StopConfigurationRecorder).',
}, (s, _settings, emit) => {
  forEachAccountRegion(s, emit, (r) => resource(s, r), 'config:DescribeConfigurationRecorderStatus', (r) => r.configRecorders, (region, recorders) => {
    const r = resource(s, region);
    if (recorders.length === 0) return emit.fail(r, `no AWS Config recorder in ${region}`);
    const good = recorders.find((c) => c.recording === true && c.lastStatus !== 'FAILURE' && c.allSupported === true);
    if (good) return emit.pass(r, `AWS Config recorder ${good.name} records all supported resource types in ${region}`);
    const why = recorders.map((c) => {
      if (c.recording !== true) return `${c.name} is not recording`;
      if (c.lastStatus === 'FAILURE') return `${c.name} last recording failed`;
      return `${c.name} does not record all supported resource types`;
    });
    emit.fail(r, `AWS Config in ${region}: ${why.join('; ')}`);
  });
});
