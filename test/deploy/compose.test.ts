/**
 * docker-compose.yml and deploy/compose/temporal-cloud.yml, checked without a container engine: against
 * the Compose Specification's JSON schema, and against what a platform team needs of them (issue 15).
 */
import { msToNumber } from '@temporalio/common/lib/time';
import { existsSync, readdirSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { searchAttributeDefinitions } from '../../src/workflows/search-attributes';
import {
  composeSchemaErrors,
  composeServiceSecrets,
  interpolate,
  MissingVariableError,
  parseCompose,
  readText,
  root,
  type Compose,
  type SecretGroup,
  type Service,
} from './deploy-files';

const composeText = readText('docker-compose.yml');
const compose = parseCompose(composeText);
const cloudOverride = parseCompose(readText('deploy/compose/temporal-cloud.yml'));
const mtlsOverride = parseCompose(readText('deploy/compose/temporal-mtls.yml'));
const service = (name: string, file: Compose = compose): Service => {
  const s = file.services[name];
  if (!s) throw new Error(`no service ${name}`);
  return s;
};
const environment = (name: string): Record<string, unknown> => service(name).environment ?? {};
/** The variables a complete .env sets: everything marked required in .env.example. */
const completeEnv = {
  DESKFLOW_CONFIG_FILE: './deskflow.config.json',
  JIRA_HOST: 'https://example.atlassian.net',
  JIRA_EMAIL: 'deskflow@example.com',
  RELAY_DOMAIN: 'deskflow.example.com',
  ACME_EMAIL: 'ops@example.com',
};
const clone = <T>(value: T): T => structuredClone(value);

describe('the Compose Specification schema', () => {
  test('accepts docker-compose.yml, before and after interpolation, and the Temporal Cloud override', () => {
    expect(composeSchemaErrors(compose)).toEqual([]);
    expect(composeSchemaErrors(interpolate(compose, completeEnv))).toEqual([]);
    expect(composeSchemaErrors(cloudOverride)).toEqual([]);
    expect(composeSchemaErrors(mtlsOverride)).toEqual([]);
  });

  test('rejects broken variants: an unknown service key, a malformed health check, ports as a map', () => {
    const unknownKey = clone(compose);
    (unknownKey.services.worker as Record<string, unknown>).stop_grace = '60s';
    expect(composeSchemaErrors(unknownKey).join('\n')).toMatch(/additional properties/);

    const badHealthcheck = clone(compose);
    service('relay', badHealthcheck).healthcheck = { test: 42 } as unknown as Service['healthcheck'];
    expect(composeSchemaErrors(badHealthcheck)).not.toEqual([]);

    const badPorts = clone(compose);
    (service('temporal-ui', badPorts) as Record<string, unknown>).ports = { '8080': 8080 };
    expect(composeSchemaErrors(badPorts)).not.toEqual([]);
  });
});

describe('Temporal on its current images', () => {
  test('temporalio/server with admin-tools of the same version; no auto-setup image anywhere', () => {
    const server = service('temporal').image ?? '';
    expect(server).toMatch(/^temporalio\/server:\d+\.\d+\.\d+$/);
    const version = server.split(':')[1];
    for (const step of ['temporal-schema', 'temporal-namespace', 'temporal-search-attributes']) {
      expect([step, service(step).image]).toEqual([step, `temporalio/admin-tools:${version}`]);
    }
    expect(composeText).not.toMatch(/auto-setup/);
    expect(service('temporal').environment).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgresql' });
    expect(service('temporal-ui').image).toMatch(/^temporalio\/ui:\d+\.\d+\.\d+$/);
  });

  test('the schema step sets up and updates both PostgreSQL databases (persistence and visibility) before Temporal starts', () => {
    expect(service('temporal').depends_on?.['temporal-schema']?.condition).toBe('service_completed_successfully');
    const script = readText('deploy/compose/setup-schema.sh');
    expect(script).toMatch(/temporal-sql-tool .*setup-schema -v 0\.0/);
    expect(script).toMatch(/temporal-sql-tool .*update-schema -d "\$schema_root\/\$kind\/versioned"/);
    expect(script).toContain('temporal_visibility}:visibility');
    expect(script).toContain('temporal}:temporal');
    expect(script).toContain('SQL_PLUGIN=postgres12');
  });

  test("the namespace step retries and keeps closed runs at least 30 days (14-day reopen window plus an audit month's margin)", () => {
    const step = service('temporal-namespace');
    expect(step.depends_on?.temporal?.condition).toBe('service_healthy');
    const retention = interpolate(String(environment('temporal-namespace').NAMESPACE_RETENTION), {});
    expect(retention).toMatch(/^\d+d$/);
    expect(parseInt(retention, 10)).toBeGreaterThanOrEqual(30);
    const script = readText('deploy/compose/create-namespace.sh');
    expect(script).toMatch(/until "\$@"/);
    expect(script).toContain('namespace create --namespace "$TEMPORAL_NAMESPACE" --retention "$NAMESPACE_RETENTION"');
    // An existing namespace (e.g. made by auto-setup with 24 h) gets the retention too.
    expect(script).toContain('namespace update --namespace "$TEMPORAL_NAMESPACE" --retention "$NAMESPACE_RETENTION"');
  });

  test('the search-attribute step runs after the namespace step, retries, and registers every attribute the workflows use', () => {
    const step = service('temporal-search-attributes');
    expect(step.depends_on?.['temporal-namespace']?.condition).toBe('service_completed_successfully');
    const registered = String(environment('temporal-search-attributes').SEARCH_ATTRIBUTES).split(/\s+/);
    for (const { name, type } of searchAttributeDefinitions) expect(registered).toContain(`${name}=${type}`);
    expect(registered).toEqual(expect.arrayContaining(['NextDeadline=Datetime', 'SlaBreached=Bool']));
    const script = readText('deploy/compose/register-search-attributes.sh');
    expect(script).toMatch(/try temporal operator search-attribute create/);
    expect(script).toMatch(/until "\$@"/);
    for (const app of ['worker', 'relay']) {
      expect(service(app).depends_on?.['temporal-search-attributes']?.condition).toBe('service_completed_successfully');
    }
  });

  test('every set-up script mounted into a container exists and is mounted read-only', () => {
    for (const [name, s] of Object.entries(compose.services)) {
      for (const volume of s.volumes ?? []) {
        if (typeof volume !== 'string' || !volume.startsWith('./')) continue;
        const [source, , mode] = volume.split(':');
        expect([name, source, existsSync(`${root}${source}`), mode]).toEqual([name, source, true, 'ro']);
      }
    }
  });
});

describe('nothing exposed unauthenticated', () => {
  test('only the TLS proxy publishes on all interfaces; Temporal gRPC and the Web UI are bound to 127.0.0.1', () => {
    for (const [name, s] of Object.entries(compose.services)) {
      for (const port of s.ports ?? []) {
        if (name === 'relay-proxy') expect(['80:80', '443:443']).toContain(port);
        else expect([name, port]).toEqual([name, expect.stringMatching(/^127\.0\.0\.1:\d+:\d+$/)]);
      }
    }
    expect(service('relay').ports).toBeUndefined();
  });

  test('the Web UI cannot terminate, signal or reset workflows unless authentication is on', () => {
    const ui = environment('temporal-ui');
    expect(ui.TEMPORAL_DISABLE_WRITE_ACTIONS === 'true' || ui.TEMPORAL_AUTH_ENABLED === 'true').toBe(true);
  });

  test('the relay is reached only through the TLS proxy, which forwards only the webhook path', () => {
    expect(service('relay-proxy').image).toMatch(/^caddy:\d/);
    expect(service('relay-proxy').depends_on?.relay?.condition).toBe('service_healthy');
    const caddyfile = readText('deploy/caddy/Caddyfile');
    expect(caddyfile).toContain('{$RELAY_DOMAIN} {');
    expect(caddyfile).toMatch(/@webhooks path \/webhooks\/\*/);
    expect(caddyfile).toMatch(/reverse_proxy relay:8787/);
    expect(caddyfile).not.toMatch(/tls internal|auto_https off/);
  });

  test('the relay will not start without WEBHOOK_SECRET', () => {
    const relay = environment('relay');
    expect(String(relay.DESKFLOW_REQUIRED_VARIABLES).split(' ')).toContain('WEBHOOK_SECRET');
    expect(relay.WEBHOOK_SECRET_FILE).toBe('/run/secrets/webhook_secret');
    expect(service('relay').secrets).toContain('webhook_secret');
  });

  test('PostgreSQL sits on an internal network the worker and relay are not on', () => {
    expect(compose.networks?.backend?.internal).toBe(true);
    expect(service('postgresql').networks).toEqual(['backend']);
    for (const app of ['worker', 'relay', 'relay-proxy', 'temporal-ui']) {
      expect([app, service(app).networks ?? ['default']]).toEqual([app, ['default']]);
    }
  });
});

describe('each service holds only the secrets it needs', () => {
  const expected: Record<string, SecretGroup[]> = {
    postgresql: ['database'],
    'temporal-schema': ['database'],
    temporal: ['database'],
    'temporal-namespace': [],
    'temporal-search-attributes': [],
    'temporal-ui': [],
    worker: ['aha', 'jira', 'payloads', 'slack'],
    relay: ['payloads', 'webhook'],
    'relay-proxy': [],
    prometheus: [],
    grafana: [],
  };

  test('docker-compose.yml: no env_file, secrets only as files, and each service only its own', () => {
    expect(Object.keys(compose.services).sort()).toEqual(Object.keys(expected).sort());
    for (const [name, s] of Object.entries(compose.services)) {
      const { groups, problems } = composeServiceSecrets(s);
      expect({ name, groups, problems }).toEqual({ name, groups: expected[name], problems: [] });
    }
  });

  test('the Temporal Cloud and mTLS overrides add Temporal credentials to the worker and the relay only', () => {
    for (const override of [cloudOverride, mtlsOverride]) {
      for (const [name, s] of Object.entries(override.services)) {
        expect([name, composeServiceSecrets(s)]).toEqual([name, { groups: ['temporal'], problems: [] }]);
      }
      expect(Object.keys(override.services).sort()).toEqual(['relay', 'worker']);
    }
  });

  test('the check catches the old layout: a shared env_file and tokens handed to PostgreSQL', () => {
    const leaky = clone(compose);
    service('postgresql', leaky).env_file = '.env';
    service('postgresql', leaky).environment = { ...environment('postgresql'), JIRA_API_TOKEN: '${JIRA_API_TOKEN}' };
    service('worker', leaky).secrets = [...(service('worker').secrets ?? []), 'postgres_password'];
    expect(composeServiceSecrets(service('postgresql', leaky))).toEqual({
      groups: ['database', 'jira'],
      problems: [
        'uses env_file (every variable of the file reaches the container)',
        'JIRA_API_TOKEN is given as a value, not as a secret file',
      ],
    });
    expect(composeServiceSecrets(service('worker', leaky)).groups).toContain('database');
  });

  test('every secret a service mounts is declared, from a file under ./secrets/, and git ignores that folder', () => {
    const declared = compose.secrets ?? {};
    for (const s of Object.values(compose.services)) {
      for (const secret of s.secrets ?? []) expect(declared[secret]?.file).toBe(`./secrets/${secret}`);
    }
    expect(readText('.gitignore').split('\n')).toContain('secrets/');
  });
});

describe('the worker and the relay', () => {
  test('the worker scales: no container name, no published port, anywhere a fixed name would clash', () => {
    for (const [name, s] of Object.entries(compose.services))
      expect([name, s.container_name]).toEqual([name, undefined]);
    expect(service('worker').ports).toBeUndefined();
  });

  test('both run the image built from the Dockerfile with the configuration file mounted read-only at DESKFLOW_CONFIG', () => {
    const dockerfile = readText('Dockerfile');
    for (const [name, entry] of [
      ['worker', 'src/workers/main.ts'],
      ['relay', 'src/client/relay/main.ts'],
    ] as const) {
      const s = service(name);
      expect(s.build).toEqual({ context: '.', target: 'app' });
      expect(dockerfile).toMatch(new RegExp(`^FROM \\S+ AS ${s.build?.target}$`, 'm'));
      expect(s.command).toEqual(['node', '--import', 'tsx', entry]);
      expect(existsSync(`${root}${entry}`)).toBe(true);
      const configPath = environment(name).DESKFLOW_CONFIG;
      expect(s.volumes).toContainEqual(expect.objectContaining({ type: 'bind', target: configPath, read_only: true }));
      expect(s.read_only).toBe(true);
    }
  });

  test('inside the containers, the worker refuses to start without Jira and Slack, the relay without its secret', () => {
    const required = (name: string) => String(environment(name).DESKFLOW_REQUIRED_VARIABLES).split(' ');
    expect(required('worker')).toEqual(
      expect.arrayContaining(['JIRA_HOST', 'JIRA_EMAIL', 'JIRA_API_TOKEN', 'SLACK_BOT_TOKEN']),
    );
    expect(required('relay')).toEqual(['WEBHOOK_SECRET', 'DESKFLOW_CODEC_KEYS']);
  });

  test('required variables fail fast, each naming itself', () => {
    expect(() => interpolate(compose, completeEnv)).not.toThrow();
    for (const name of Object.keys(completeEnv)) {
      const env: Record<string, string> = { ...completeEnv };
      delete env[name];
      expect(() => interpolate(compose, env)).toThrow(MissingVariableError);
      expect(() => interpolate(compose, env)).toThrow(new RegExp(`required variable ${name} `));
    }
  });

  test("stop grace periods outlast the worker's shutdown grace and the longest activity", () => {
    // The SDK's shutdownGraceTime (0 unless src/workers sets it) and the activities' startToCloseTimeout.
    const workerSources = readdirSync(`${root}src/workers`).map((f) => readText(`src/workers/${f}`));
    const grace = workerSources
      .flatMap((text) => [...text.matchAll(/shutdownGraceTime:\s*'([^']+)'/g)].map((m) => msToNumber(m[1] as string)))
      .reduce((a, b) => Math.max(a, b), 0);
    const longestActivity = [...readText('src/workflows/activities.ts').matchAll(/startToCloseTimeout:\s*'([^']+)'/g)]
      .map((m) => msToNumber(m[1] as string))
      .reduce((a, b) => Math.max(a, b), 0);
    expect(longestActivity).toBeGreaterThan(0);
    const workerStop = msToNumber(service('worker').stop_grace_period as string);
    expect(workerStop).toBeGreaterThanOrEqual(Math.max(grace, longestActivity) + 15_000);
    expect(msToNumber(service('relay').stop_grace_period as string)).toBeGreaterThanOrEqual(15_000);
  });

  test('health checks that mean something: the worker asks its own /healthz, the relay its /healthz', () => {
    const worker = service('worker');
    expect(environment('worker').WORKER_HEALTH_PORT).toBe(8790);
    expect(JSON.stringify(worker.healthcheck?.test)).toContain('http://127.0.0.1:8790/healthz');
    expect(JSON.stringify(service('relay').healthcheck?.test)).toContain('http://127.0.0.1:8787/healthz');
    for (const name of ['postgresql', 'temporal', 'temporal-ui', 'worker', 'relay', 'relay-proxy']) {
      expect([name, service(name).healthcheck?.test]).toEqual([name, expect.anything()]);
    }
    for (const [name, s] of Object.entries(compose.services)) {
      for (const [dep, { condition }] of Object.entries(s.depends_on ?? {})) {
        expect([name, dep, dep in compose.services]).toEqual([name, dep, true]);
        if (condition === 'service_healthy') expect([dep, service(dep).healthcheck]).toEqual([dep, expect.anything()]);
        if (condition === 'service_completed_successfully') expect([dep, service(dep).restart]).toEqual([dep, 'no']);
      }
    }
  });

  test('the mTLS override hands the client certificate and key to Temporal environment configuration by path', () => {
    for (const name of ['worker', 'relay']) {
      const s = service(name, mtlsOverride);
      expect(s.environment).toMatchObject({
        TEMPORAL_TLS: 'true',
        TEMPORAL_TLS_CLIENT_CERT_PATH: '/run/secrets/temporal_tls_client_cert',
        TEMPORAL_TLS_CLIENT_KEY_PATH: '/run/secrets/temporal_tls_client_key',
      });
      expect(s.secrets).toEqual(['temporal_tls_client_cert', 'temporal_tls_client_key']);
      expect(() => interpolate(s.environment, {})).toThrow(/TEMPORAL_ADDRESS/);
    }
    for (const secret of Object.values(mtlsOverride.secrets ?? {})) expect(secret.file).toMatch(/^\.\/secrets\//);
  });

  test('the Temporal Cloud override passes Temporal environment configuration (address, namespace, API key, TLS)', () => {
    for (const name of ['worker', 'relay']) {
      const env = service(name, cloudOverride).environment ?? {};
      expect(env).toMatchObject({ TEMPORAL_API_KEY_FILE: '/run/secrets/temporal_api_key', TEMPORAL_TLS: 'true' });
      expect(() => interpolate(env, {})).toThrow(/TEMPORAL_ADDRESS/);
      expect(String(env.DESKFLOW_REQUIRED_VARIABLES)).toContain('TEMPORAL_API_KEY');
    }
  });
});

describe('.env.example', () => {
  const example = readText('.env.example');
  const documented = new Set([...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));

  test('documents every environment variable the configuration reads', () => {
    const envSource = readText('src/config/env.ts');
    const schemaBody = envSource.slice(envSource.indexOf('z.object({'), envSource.indexOf('});'));
    const variables = [...schemaBody.matchAll(/^\s+([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]);
    expect(variables.length).toBeGreaterThan(10);
    expect(variables.filter((v) => !documented.has(v))).toEqual([]);
  });

  test('documents every variable docker-compose.yml reads, and marks the ones it requires', () => {
    const read = new Set([...composeText.matchAll(/\$\{([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]));
    expect([...read].filter((v) => !documented.has(v))).toEqual([]);
    for (const name of Object.keys(completeEnv)) {
      // The comment block right above the uncommented NAME= line starts with "# required:".
      const marked = new RegExp(`^# required:[^\\n]*\\n(#[^\\n]*\\n)*${name}=`, 'm');
      expect([name, example]).toEqual([name, expect.stringMatching(marked)]);
    }
  });
});

describe('metrics: Prometheus and Grafana (issue 13)', () => {
  const prometheusConfig = parseYaml(readText('deploy/prometheus/prometheus.yml')) as {
    scrape_configs: {
      job_name: string;
      metrics_path?: string;
      dns_sd_configs?: { names: string[]; port: number }[];
      static_configs?: { targets: string[] }[];
    }[];
  };

  test('the worker serves its metrics on the port Prometheus scrapes; the relay on /metrics', () => {
    expect(environment('worker').DESKFLOW_METRICS_ADDRESS).toBe('0.0.0.0:9464');
    const jobs = Object.fromEntries(prometheusConfig.scrape_configs.map((j) => [j.job_name, j]));
    // Every worker replica (the service scales), by its DNS name.
    expect(jobs['deskflow-worker']?.dns_sd_configs).toEqual([{ names: ['worker'], type: 'A', port: 9464 }]);
    expect(jobs['deskflow-relay']).toMatchObject({
      metrics_path: '/metrics',
      static_configs: [{ targets: [`relay:${environment('relay').RELAY_PORT}`] }],
    });
  });

  test('Prometheus and Grafana mount their configuration read-only, keep data in volumes, listen on 127.0.0.1 only', () => {
    expect(service('prometheus').volumes).toContain(
      './deploy/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro',
    );
    expect(service('grafana').volumes).toEqual(
      expect.arrayContaining([
        './deploy/grafana/provisioning:/etc/grafana/provisioning:ro',
        './deploy/grafana/dashboards:/var/lib/grafana/dashboards:ro',
      ]),
    );
    for (const name of ['prometheus', 'grafana']) {
      for (const mount of service(name).volumes ?? []) {
        const [source] = String(mount).split(':');
        if (source?.startsWith('./')) expect(existsSync(`${root}/${source.slice(2)}`)).toBe(true);
      }
    }
    expect(service('prometheus').ports).toEqual(['127.0.0.1:9090:9090']);
    expect(service('grafana').ports).toEqual(['127.0.0.1:3000:3000']);
    expect(environment('grafana')).toMatchObject({ GF_AUTH_ANONYMOUS_ORG_ROLE: 'Viewer' });
  });

  test('Grafana is provisioned with the Prometheus data source and the "Support desk" dashboard', () => {
    const datasources = parseYaml(readText('deploy/grafana/provisioning/datasources/prometheus.yml')) as {
      datasources: { uid: string; type: string; url: string }[];
    };
    expect(datasources.datasources).toEqual([
      expect.objectContaining({ uid: 'deskflow-prometheus', type: 'prometheus', url: 'http://prometheus:9090' }),
    ]);
    const providers = parseYaml(readText('deploy/grafana/provisioning/dashboards/deskflow.yml')) as {
      providers: { options: { path: string } }[];
    };
    expect(providers.providers[0]?.options.path).toBe('/var/lib/grafana/dashboards');
    const dashboard = JSON.parse(readText('deploy/grafana/dashboards/support-desk.json')) as {
      title: string;
      panels: { datasource: { uid: string }; targets: { expr: string }[] }[];
    };
    expect(dashboard.title).toBe('Support desk');
    for (const panel of dashboard.panels) {
      expect(panel.datasource.uid).toBe('deskflow-prometheus');
      expect(panel.targets.length).toBeGreaterThan(0);
    }
  });
});
