import { createCloudClient } from 'jira.js';
import { WebClient } from '@slack/web-api';
import { defaultConfig } from '../../src/config/defaults';
test('imports', () => {
  expect(typeof createCloudClient).toBe('function');
  expect(typeof WebClient).toBe('function');
  expect(defaultConfig.jira.supportProject).toBe('SS');
  expect(import.meta.url).toContain('smoke');
});
