/**
 * deploy/kubernetes, checked without a cluster: every object against the vendored Kubernetes JSON schema
 * of its kind, and what a platform team expects of a worker and a relay Deployment (issue 15).
 */
import { readdirSync } from 'node:fs';
import { msToNumber } from '@temporalio/common/lib/time';
import { loadConfig } from '../../src/config';
import {
  containerSecrets,
  kubernetesSchemaErrors,
  parseCompose,
  parseKubernetes,
  readText,
  root,
  type KubernetesObject,
} from './deploy-files';

const folder = 'deploy/kubernetes';
const files = readdirSync(`${root}${folder}`)
  .filter((f) => f.endsWith('.yaml'))
  .sort();
const objects = files.flatMap((file) =>
  parseKubernetes(readText(`${folder}/${file}`)).map((object) => ({ file, object })),
);
const find = (kind: string, name: string): KubernetesObject => {
  const found = objects.find(({ object }) => object.kind === kind && object.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in ${folder}`);
  return found.object;
};

interface Probe {
  httpGet?: { path: string; port: string | number };
  tcpSocket?: { port: string | number };
}
interface Container {
  name: string;
  image: string;
  args?: string[];
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  envFrom?: { configMapRef?: { name: string } }[];
  ports?: { name?: string; containerPort: number }[];
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: Record<string, unknown>;
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
}
interface PodSpec {
  containers: Container[];
  securityContext?: Record<string, unknown>;
  terminationGracePeriodSeconds?: number;
  automountServiceAccountToken?: boolean;
  volumes?: { name: string; configMap?: { name: string } }[];
}
const podSpec = (deployment: KubernetesObject): PodSpec =>
  (deployment.spec as { template: { spec: PodSpec } }).template.spec;
const container = (deployment: KubernetesObject): Container => {
  const [first] = podSpec(deployment).containers;
  if (!first) throw new Error(`${deployment.metadata.name} has no container`);
  return first;
};

test('deploy/kubernetes holds the worker and relay Deployments, the relay Service and Ingress, PDBs, ConfigMaps and a ServiceAccount', () => {
  expect(files.length).toBeGreaterThan(0);
  const present = objects.map(({ object }) => `${object.kind}/${object.metadata.name}`).sort();
  expect(present).toEqual(
    expect.arrayContaining([
      'Deployment/deskflow-worker',
      'Deployment/deskflow-relay',
      'Service/deskflow-relay',
      'Ingress/deskflow-relay',
      'PodDisruptionBudget/deskflow-worker',
      'PodDisruptionBudget/deskflow-relay',
      'ConfigMap/deskflow-env',
      'ConfigMap/deskflow-config',
      'ServiceAccount/deskflow',
    ]),
  );
});

test('every object is valid against the Kubernetes JSON schema of its kind', () => {
  for (const { file, object } of objects) {
    expect({ file, object: `${object.kind}/${object.metadata.name}`, errors: kubernetesSchemaErrors(object) }).toEqual({
      file,
      object: `${object.kind}/${object.metadata.name}`,
      errors: [],
    });
  }
});

test('the schemas reject broken variants: a misspelt field, a probe port of the wrong type, an unknown kind', () => {
  const worker = structuredClone(find('Deployment', 'deskflow-worker'));
  (podSpec(worker) as unknown as Record<string, unknown>).terminationGracePeriod = 60;
  expect(kubernetesSchemaErrors(worker).join('\n')).toMatch(/additional properties/);

  const relay = structuredClone(find('Deployment', 'deskflow-relay'));
  (container(relay).readinessProbe as { httpGet: { port: unknown } }).httpGet.port = { number: 8787 };
  expect(kubernetesSchemaErrors(relay)).not.toEqual([]);

  expect(kubernetesSchemaErrors({ apiVersion: 'v1', kind: 'Sercret' })).toEqual(['no vendored schema for v1 Sercret']);
});

describe.each([
  ['deskflow-worker', 'src/workers/main.ts', 'deskflow-worker', ['aha', 'jira', 'payloads', 'slack', 'temporal']],
  ['deskflow-relay', 'src/client/relay/main.ts', 'deskflow-relay', ['payloads', 'temporal', 'webhook']],
] as const)('%s', (name, entry, secretName, groups) => {
  const deployment = find('Deployment', name);
  const spec = podSpec(deployment);
  const main = container(deployment);

  test(`runs ${entry} as a non-root user with a read-only root filesystem and no service-account token`, () => {
    expect(main.args).toEqual(['node', '--import', 'tsx', entry]);
    expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
    expect(main.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(spec.automountServiceAccountToken).toBe(false);
  });

  test(`reads only its own Secret (${secretName}), the shared payload keys, and only the secrets its role needs`, () => {
    expect(containerSecrets(main)).toEqual({
      groups: [...groups],
      secrets: ['deskflow-codec', secretName],
      problems: [],
    });
  });

  test('names the variables it cannot run without, so the entrypoint stops the pod naming a missing one', () => {
    const required = main.env?.find((e) => e.name === 'DESKFLOW_REQUIRED_VARIABLES')?.value?.split(' ') ?? [];
    const expected =
      name === 'deskflow-worker' ? ['JIRA_HOST', 'JIRA_API_TOKEN', 'SLACK_BOT_TOKEN'] : ['WEBHOOK_SECRET'];
    expect(required).toEqual(expect.arrayContaining(expected));
  });

  test('has a readiness probe on /healthz, a liveness probe, and memory requests and limits', () => {
    expect(main.readinessProbe?.httpGet?.path).toBe('/healthz');
    expect(main.livenessProbe).toBeDefined();
    // Liveness must not depend on Temporal: an outage would otherwise restart every pod in a loop.
    expect(main.livenessProbe?.httpGet?.path).not.toBe('/healthz');
    expect(main.resources?.requests?.memory).toBeDefined();
    expect(main.resources?.limits?.memory).toBeDefined();
  });

  test('mounts the configuration ConfigMap read-only at the directory of DESKFLOW_CONFIG', () => {
    const configPath = find('ConfigMap', 'deskflow-env').data?.DESKFLOW_CONFIG ?? '';
    expect(main.envFrom).toContainEqual({ configMapRef: { name: 'deskflow-env' } });
    const mount = main.volumeMounts?.find((m) => configPath.startsWith(`${m.mountPath}/`));
    expect(mount?.readOnly).toBe(true);
    expect(spec.volumes?.find((v) => v.name === mount?.name)?.configMap?.name).toBe('deskflow-config');
  });

  test('has a PodDisruptionBudget selecting its pods', () => {
    const pdb = find('PodDisruptionBudget', name);
    const selector = (pdb.spec as { selector: { matchLabels: Record<string, string> } }).selector.matchLabels;
    expect((deployment.spec as { selector: { matchLabels: Record<string, string> } }).selector.matchLabels).toEqual(
      selector,
    );
  });
});

test("the worker's termination grace matches compose's stop_grace_period, and its probes use the health port compose sets", () => {
  const worker = find('Deployment', 'deskflow-worker');
  const compose = parseCompose(readText('docker-compose.yml'));
  const stopGrace = msToNumber(compose.services.worker?.stop_grace_period as string);
  expect((podSpec(worker).terminationGracePeriodSeconds ?? 30) * 1000).toBeGreaterThanOrEqual(stopGrace);
  const env = container(worker).env ?? [];
  const port = env.find((e) => e.name === 'WORKER_HEALTH_PORT')?.value;
  expect(Number(port)).toBe(compose.services.worker?.environment?.WORKER_HEALTH_PORT);
  expect(container(worker).ports).toContainEqual({ name: 'health', containerPort: Number(port) });
  // Metrics on the port compose's Prometheus scrapes too (issue 13).
  expect(env.find((e) => e.name === 'DESKFLOW_METRICS_ADDRESS')?.value).toBe(
    compose.services.worker?.environment?.DESKFLOW_METRICS_ADDRESS,
  );
  expect(container(worker).ports).toContainEqual({ name: 'metrics', containerPort: 9464 });
});

test('the relay is reached only through the Ingress, with TLS, on the webhook path', () => {
  const ingress = find('Ingress', 'deskflow-relay').spec as {
    tls?: { hosts: string[]; secretName: string }[];
    rules: { host: string; http: { paths: { path: string; backend: { service: { name: string } } }[] } }[];
  };
  expect(ingress.tls?.[0]?.hosts).toContain(ingress.rules[0]?.host);
  const paths = ingress.rules.flatMap((r) => r.http.paths);
  expect(paths.map((p) => p.path)).toEqual(['/webhooks/']);
  expect(paths[0]?.backend.service.name).toBe('deskflow-relay');
  expect((find('Service', 'deskflow-relay').spec as { type: string }).type).toBe('ClusterIP');
});

test('the example configuration in the ConfigMap is a valid deskflow configuration', () => {
  const json = find('ConfigMap', 'deskflow-config').data?.['config.json'];
  expect(json).toBeDefined();
  expect(() => loadConfig({ overrides: JSON.parse(json as string) as unknown })).not.toThrow();
});

test('the Temporal connection is given through Temporal environment configuration variables', () => {
  const env = find('ConfigMap', 'deskflow-env').data ?? {};
  expect(Object.keys(env)).toEqual(expect.arrayContaining(['TEMPORAL_ADDRESS', 'TEMPORAL_NAMESPACE']));
  for (const name of ['deskflow-worker', 'deskflow-relay']) {
    const apiKey = container(find('Deployment', name)).env?.find((e) => e.name === 'TEMPORAL_API_KEY');
    expect(apiKey?.valueFrom?.secretKeyRef).toMatchObject({ name, key: 'TEMPORAL_API_KEY', optional: true });
  }
});
