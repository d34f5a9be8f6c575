/**
 * The relay's own Jira identity in the deployments (issue 9): in compose and Kubernetes the relay gets
 * JIRA_HOST but no Jira token, so it cannot learn deskflow's account id from Jira's "myself"; the
 * configuration file must carry `jira.identity.botAccountId`. Checked offline: the relay's environment as
 * each deployment gives it (secrets resolved as the entrypoint does) passes the relay's environment check,
 * and with the configuration as shipped (no key) the relay stops at start-up naming the key.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig, loadEnv, mergeConfig, validateConfig, type DeskflowConfig } from '../../src/config';
import { relayIdentityProblem } from '../../src/client/relay/identity';
import { interpolate, parseCompose, parseKubernetes, readText, root, type KubernetesObject } from './deploy-files';

const KEY = 'jira.identity.botAccountId';
const WITH_KEY = { jira: { identity: { botAccountId: '557058:0c1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f' } } };
/** What a secret file or a Secret holds, as the container sees it once the entrypoint has read it. */
const SECRET = 'a-secret-of-at-least-16-characters';

/** The relay's environment under compose, with the variables a complete .env sets. */
function composeRelayEnv(): NodeJS.ProcessEnv {
  const compose = interpolate(parseCompose(readText('docker-compose.yml')), {
    DESKFLOW_CONFIG_FILE: './deskflow.config.json',
    JIRA_HOST: 'https://example.atlassian.net',
    JIRA_EMAIL: 'deskflow@example.com',
    RELAY_DOMAIN: 'deskflow.example.com',
    ACME_EMAIL: 'ops@example.com',
  });
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(compose.services.relay?.environment ?? {})) {
    if (value === null || value === '') continue;
    // NAME_FILE=/run/secrets/x: the entrypoint exports NAME with the file's content.
    if (name.endsWith('_FILE')) env[name.slice(0, -'_FILE'.length)] = SECRET;
    else env[name] = String(value);
  }
  return env;
}

const k8s = ['configmap.yaml', 'relay.yaml'].flatMap((f) => parseKubernetes(readText(`deploy/kubernetes/${f}`)));
const find = (kind: string, name: string): KubernetesObject => {
  const found = k8s.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found;
};

/** The relay container's environment under Kubernetes: its ConfigMaps, its values, its Secrets. */
function kubernetesRelayEnv(): NodeJS.ProcessEnv {
  interface EnvVar {
    name: string;
    value?: string;
    valueFrom?: { secretKeyRef?: { optional?: boolean } };
  }
  const spec = find('Deployment', 'deskflow-relay').spec as {
    template: { spec: { containers: { envFrom?: { configMapRef?: { name: string } }[]; env?: EnvVar[] }[] } };
  };
  const container = spec.template.spec.containers[0]!;
  const env: NodeJS.ProcessEnv = {};
  for (const from of container.envFrom ?? [])
    if (from.configMapRef) Object.assign(env, find('ConfigMap', from.configMapRef.name).data);
  for (const e of container.env ?? []) {
    if (e.value !== undefined) env[e.name] = e.value;
    else if (e.valueFrom?.secretKeyRef && !e.valueFrom.secretKeyRef.optional) env[e.name] = SECRET;
  }
  return env;
}

/** The configuration file Kubernetes mounts (ConfigMap deskflow-config), over the defaults. */
function kubernetesConfig(extra: unknown = {}): DeskflowConfig {
  const shipped = JSON.parse(find('ConfigMap', 'deskflow-config').data?.['config.json'] ?? '{}') as unknown;
  return validateConfig(mergeConfig(mergeConfig(defaultConfig, shipped), extra));
}

describe.each([
  // compose mounts the operator's own file (DESKFLOW_CONFIG_FILE): the defaults stand for one without the key.
  ['compose', composeRelayEnv, (extra: unknown = {}) => validateConfig(mergeConfig(defaultConfig, extra))],
  ['Kubernetes', kubernetesRelayEnv, kubernetesConfig],
] as const)('%s: the relay', (_, relayEnv, config) => {
  test('is told it talks to a real Jira, gets no Jira token, and its environment passes its own check', () => {
    const raw = relayEnv();
    expect(raw.JIRA_HOST).toMatch(/^https:\/\//);
    expect(raw.JIRA_API_TOKEN).toBeUndefined();
    expect(() => loadEnv(raw, { jiraCredentialsOptional: true })).not.toThrow();
  });

  test(`without ${KEY} in its configuration it refuses to start, naming the key; with it, it starts`, () => {
    const env = loadEnv(relayEnv(), { jiraCredentialsOptional: true });
    expect(relayIdentityProblem(config(), env)).toContain(KEY);
    expect(relayIdentityProblem(config(WITH_KEY), env)).toBeNull();
  });
});

test('the relay process stops at start-up with the Kubernetes environment and configuration, naming the key', () => {
  const dir = mkdtempSync(join(tmpdir(), 'deskflow-relay-identity-'));
  try {
    const file = join(dir, 'config.json');
    writeFileSync(file, find('ConfigMap', 'deskflow-config').data?.['config.json'] ?? '{}');
    // Temporal is never reached: the check comes first (an unroutable address would hang otherwise).
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, ...kubernetesRelayEnv(), DESKFLOW_CONFIG: file };
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/client/relay/main.ts'], {
      cwd: root,
      env,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(KEY);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 90_000);
