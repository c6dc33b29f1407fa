export { default as eventsSecurityRules } from './security-rules';
