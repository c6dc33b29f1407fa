export { default as cloudformationDrift } from './drift';
