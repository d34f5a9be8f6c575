/**
 * docker-compose.yml describes the production-like stack. No container engine runs here, so the file is
 * checked by parsing it (and, where a compose client is installed, by `config` validation as well).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { searchAttributeDefinitions } from '../../src/workflows/search-attributes';

const root = fileURLToPath(new URL('../../', import.meta.url));
const composeFile = `${root}docker-compose.yml`;

interface Service {
  image?: string;
  build?: { context?: string; target?: string };
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, string | number>;
  env_file?: string | string[];
  ports?: string[];
  volumes?: string[];
  healthcheck?: { test?: string | string[] };
  depends_on?: Record<string, { condition: string }>;
  restart?: string;
}
interface Compose {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

const compose = parse(readFileSync(composeFile, 'utf8'), {
  merge: true,
}) as Compose;
const services = compose.services;
const service = (name: string): Service => {
  const s = services[name];
  if (!s) throw new Error(`docker-compose.yml has no service ${name}`);
  return s;
};
const commandText = (s: Service) => [s.entrypoint ?? [], s.command ?? []].flat().join(' ');
const publishes = (s: Service, port: number) => (s.ports ?? []).some((p) => String(p).endsWith(`:${port}`));
const envFiles = (s: Service) => [s.env_file ?? []].flat();

test('the stack has PostgreSQL, Temporal, the admin-tools one-shot, the Web UI, the worker and the relay', () => {
  expect(Object.keys(services).sort()).toEqual(
    ['postgresql', 'relay', 'temporal', 'temporal-admin-tools', 'temporal-ui', 'worker'].sort(),
  );
  expect(service('postgresql').image).toMatch(/^postgres:\d+/);
  expect(service('temporal').image).toMatch(/^temporalio\/(auto-setup|server):\d+\.\d+\.\d+$/);
  expect(service('temporal').environment).toMatchObject({
    DB: expect.stringMatching(/^postgres/),
    POSTGRES_SEEDS: 'postgresql',
  });
  expect(service('temporal-ui').image).toMatch(/^temporalio\/ui:\d+\.\d+\.\d+$/);
  expect(service('temporal-admin-tools').image).toMatch(/^temporalio\/admin-tools:\d+\.\d+\.\d+$/);
});

test('the admin-tools step runs once, after Temporal is healthy, and registers every search attribute with its type', () => {
  const admin = service('temporal-admin-tools');
  expect(admin.restart).toBe('no');
  expect(admin.depends_on?.temporal?.condition).toBe('service_healthy');
  const script = commandText(admin);
  expect(script).toContain('temporal operator search-attribute create');
  for (const { name, type } of searchAttributeDefinitions) expect(script).toContain(`${name}=${type}`);
  // The app waits for the registration to have finished.
  for (const app of ['worker', 'relay']) {
    expect(service(app).depends_on?.['temporal-admin-tools']?.condition).toBe('service_completed_successfully');
  }
});

test('ports: Temporal gRPC 7233, Web UI 8080, relay 8787', () => {
  expect(publishes(service('temporal'), 7233)).toBe(true);
  expect(publishes(service('temporal-ui'), 8080)).toBe(true);
  expect(publishes(service('relay'), 8787)).toBe(true);
  expect(service('temporal-ui').environment?.TEMPORAL_ADDRESS).toBe('temporal:7233');
});

test('PostgreSQL keeps its data in a declared named volume', () => {
  const declared = Object.keys(compose.volumes ?? {});
  const mounts = (service('postgresql').volumes ?? []).map((v) => v.split(':'));
  const data = mounts.find(([, target]) => target === '/var/lib/postgresql/data');
  expect(data).toBeDefined();
  expect(declared).toContain(data?.[0]);
});

test('every long-running service has a health check, and depends_on waits on health where it exists', () => {
  for (const name of ['postgresql', 'temporal', 'temporal-ui', 'worker', 'relay']) {
    expect([name, service(name).healthcheck?.test]).toEqual([name, expect.anything()]);
  }
  for (const [name, s] of Object.entries(services)) {
    for (const [dep, { condition }] of Object.entries(s.depends_on ?? {})) {
      expect([name, dep, dep in services]).toEqual([name, dep, true]);
      if (condition === 'service_healthy') expect([dep, service(dep).healthcheck]).toEqual([dep, expect.anything()]);
    }
  }
});

test('worker and relay are built from the project Dockerfile, read secrets from .env and run existing entry points', () => {
  const dockerfile = readFileSync(`${root}Dockerfile`, 'utf8');
  for (const [name, entry] of [
    ['worker', 'src/workers/main.ts'],
    ['relay', 'src/client/relay/main.ts'],
  ] as const) {
    const s = service(name);
    expect(s.build?.context).toBe('.');
    expect(dockerfile).toMatch(new RegExp(`^FROM \\S+ AS ${s.build?.target}$`, 'm'));
    expect(envFiles(s)).toContain('.env');
    expect(commandText(s)).toBe(`node --import tsx ${entry}`);
    expect(existsSync(`${root}${entry}`)).toBe(true);
    expect(s.environment?.TEMPORAL_ADDRESS).toBe('temporal:7233');
  }
  expect(envFiles(service('postgresql'))).toContain('.env');
});

test('.env.example documents every environment variable the configuration reads', () => {
  const envSource = readFileSync(`${root}src/config/env.ts`, 'utf8');
  const schemaBody = envSource.slice(envSource.indexOf('z.object({'), envSource.indexOf('});'));
  const variables = [...schemaBody.matchAll(/^\s+([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]);
  expect(variables.length).toBeGreaterThan(10);
  const example = readFileSync(`${root}.env.example`, 'utf8');
  const documented = new Set([...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));
  expect(variables.filter((v) => !documented.has(v))).toEqual([]);
  expect(documented.has('POSTGRES_PASSWORD')).toBe(true);
});

test('a compose client, when one is installed, accepts the file', () => {
  const candidates: [string, string[]][] = [
    ['docker', ['compose', 'version']],
    ['docker-compose', ['version']],
  ];
  const client = candidates.find(([cmd, args]) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0);
  if (!client) {
    // None here: the parsing tests above are the check. Still prove the YAML has no duplicate keys or tabs.
    expect(() =>
      parse(readFileSync(composeFile, 'utf8'), {
        uniqueKeys: true,
        strict: true,
      }),
    ).not.toThrow();
    return;
  }
  // Validate a copy next to an empty .env (a fresh clone has none; the stack needs one to run).
  const dir = mkdtempSync(join(tmpdir(), 'deskflow-compose-'));
  copyFileSync(composeFile, join(dir, 'docker-compose.yml'));
  writeFileSync(join(dir, '.env'), '');
  const [cmd, versionArgs] = client;
  const args = [...versionArgs.slice(0, -1), '-f', join(dir, 'docker-compose.yml'), 'config', '--quiet'];
  const result = spawnSync(cmd, args, {
    encoding: 'utf8',
    env: { ...process.env, POSTGRES_PASSWORD: 'checked-by-test' },
    cwd: dir,
  });
  rmSync(dir, { recursive: true, force: true });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
});
