/**
 * Profiling helper, not a benchmark (`npm run bench` does not run it): builds the policy-heavy app of
 * bench/nag-policy.ts and times one pack's validateScope PROFILE_RUNS times (median printed), for quick
 * iteration or `node --cpu-prof --import tsx bench/profile-nag-policy.ts`. PROFILE_PACK=aws times cdk-nag's
 * AwsSolutionsChecks instead; PROFILE_UNITS sets the size (156 units: about 2,400 resources).
 */
import { AwsSolutionsChecks } from 'cdk-nag';
import { BreachLessonsChecks } from '../lib/nag/breach-lessons-checks';
import { generate } from './nag-policy';
import { collector, countResources, median, timeMs } from './util';

process.env.CDK_VALIDATION = 'false';
const ORG = 'o-bench1234567';
const units = Number(process.env.PROFILE_UNITS ?? 156);
const runs = Number(process.env.PROFILE_RUNS ?? 5);
const aws = process.env.PROFILE_PACK === 'aws';
const gc = collector();
const validate = (app: ReturnType<typeof generate>) => {
  if (aws) new AwsSolutionsChecks(app).validateScope(app);
  else new BreachLessonsChecks(app, { organizationId: ORG }).validateScope(app);
};
for (let i = 0; i < 2; i++) validate(generate(20));
const wall: number[] = [];
const cpu: number[] = [];
let resources = 0;
for (let r = 0; r < runs; r++) {
  const app = generate(units);
  resources = countResources(app);
  gc();
  const before = process.cpuUsage();
  wall.push(timeMs(() => validate(app)));
  const d = process.cpuUsage(before);
  cpu.push((d.user + d.system) / 1000);
}
console.log(`${aws ? "AwsSolutions" : "BreachLessons"} at ${resources} resources: median wall ${median(wall).toFixed(0)} ms, cpu ${median(cpu).toFixed(0)} ms, min cpu ${Math.min(...cpu).toFixed(0)} ms`
  + ` (runs: ${wall.map((x) => x.toFixed(0)).join(' ')})`);
