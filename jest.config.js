/** Jest runs TypeScript as native ES modules through swc (jira.js is ESM-only). */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'es6' } },
    ],
  },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  setupFiles: ['<rootDir>/test/helpers/quiet-runtime.ts'],
  // The workflows are bundled once per run (cached by source hash), not once per test file.
  globalSetup: '<rootDir>/test/helpers/workflow-bundle-setup.ts',
  testTimeout: 60000,
  // Jest's default on two cores is one worker; the scenario suites are the long pole and run side by side.
  maxWorkers: 2,
};
