/**
 * The settings activities: the configuration slice recorded in history, and S-03 classification, run in
 * an activity context.
 */
import { defaultConfig } from '../../src/config/defaults';
import { mergeConfig } from '../../src/config/load';
import { createSettingsActivities } from '../../src/activities/settings';
import { runActivity } from './setup';

test('loadWorkflowSettings returns the workflow slice plus the classification threshold, detached from the config', async () => {
  const config = mergeConfig(defaultConfig, {
    classification: { threshold: 0.65 },
  });
  const settings = await runActivity(createSettingsActivities(config).loadWorkflowSettings);

  expect(settings.classificationThreshold).toBe(0.65);
  expect(settings.jira).toEqual(config.jira);
  expect(settings.roles).toEqual(config.roles);
  expect(Object.keys(settings).sort()).toEqual(
    [
      'accounts',
      'calendar',
      'classificationThreshold',
      'domainOrganizations',
      'history',
      'jira',
      'links',
      'nonPlatformOrganization',
      'roles',
      'routes',
      'sla',
      'templates',
    ].sort(),
  );
  // Not the live objects: later changes to the config cannot leak into a recorded result.
  expect(settings.roles).not.toBe(config.roles);
});

test('classifyTicket routes a ticket and names the request type from the routes table (S-03)', async () => {
  const result = await runActivity(createSettingsActivities(defaultConfig).classifyTicket, {
    summary: 'Feature request: dark mode',
    description: 'It would be great if the app had a dark mode. Enhancement suggestion.',
    reporter: 'pat@acme-solar.example',
  });
  expect(Object.keys(defaultConfig.routes)).toContain(result.route);
  expect(result.requestType).toBe(defaultConfig.routes[result.route]!.requestType);
  expect(result.confidence).toBeGreaterThanOrEqual(0);
  expect(result.confidence).toBeLessThanOrEqual(1);
  expect(Array.isArray(result.reasons)).toBe(true);
});
