export { default as snsAlertTopics } from './alert-topics';
