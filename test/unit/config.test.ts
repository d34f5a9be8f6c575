/** The configuration loader: defaults are valid, overrides merge, and a bad value names its key. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, loadEnv, mergeConfig } from '../../src/config';

function configFile(content: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'deskflow-config-'));
  const file = join(dir, 'deskflow.json');
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

test('the defaults are a valid configuration with the SOP roles', () => {
  const config = loadConfig();
  expect(config.roles.salesLead).toBe('jordan.chriss@sighten.io');
  expect(config.routes['non_platform']?.requestType).toBe('Non-Platform Request');
});

test('a configuration file overrides only the keys it names; lists replace', () => {
  const config = loadConfig({
    file: configFile({ roles: { onDutyAgents: ['sam@sighten.io'] }, sla: { firstResponse: 'PT1H' } }),
  });
  expect(config.roles.onDutyAgents).toEqual(['sam@sighten.io']);
  expect(config.sla.firstResponse).toBe('PT1H');
  expect(config.sla.warnAtFraction).toBe(0.8);
  expect(mergeConfig({ a: { b: 1, c: [1] } }, { a: { c: [2] } })).toEqual({ a: { b: 1, c: [2] } });
});

test.each([
  [{ roles: { salesLead: 'not-an-email' } }, 'roles.salesLead'],
  [{ sla: { firstResponse: '2 hours' } }, 'sla.firstResponse'],
  [{ calendar: { timeZone: 'Mars/Olympus' } }, 'calendar.timeZone'],
  [{ roles: { supportChannel: 'support' } }, 'roles.supportChannel'],
  [{ jiraa: {} }, 'jiraa'],
])('an invalid value stops loading and names the key (%j)', (override, key) => {
  expect(() => loadConfig({ overrides: override })).toThrow(ConfigError);
  expect(() => loadConfig({ overrides: override })).toThrow(key);
});

test('an unreadable configuration file is a ConfigError naming the file', () => {
  const file = configFile('{ not json');
  expect(() => loadConfig({ file })).toThrow(`cannot read configuration file ${file}`);
});

test('the environment: a malformed variable or a missing partner is named', () => {
  expect(() => loadEnv({ RELAY_PORT: 'eighty' })).toThrow('RELAY_PORT');
  expect(() => loadEnv({ JIRA_HOST: 'https://x.atlassian.net', JIRA_EMAIL: 'a@b.co' })).toThrow('JIRA_API_TOKEN');
  expect(loadEnv({}).RELAY_PORT).toBe(8787);
});
