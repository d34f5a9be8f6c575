export * from './schema';
export * from './load';
export * from './env';
export { defaultConfig } from './defaults';
