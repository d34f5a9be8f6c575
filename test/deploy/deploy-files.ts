/**
 * Reading and checking the deployment files without a container engine or a cluster: YAML parsing,
 * Compose-style variable interpolation, JSON-schema validation against the vendored schemas
 * (test/deploy/schemas/README.md), and the rule that each service sees only the secrets it needs.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse, parseAllDocuments } from 'yaml';

export const root = fileURLToPath(new URL('../../', import.meta.url));
export const readText = (path: string): string => readFileSync(`${root}${path}`, 'utf8');
const readSchema = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(fileURLToPath(new URL(`schemas/${name}`, import.meta.url)), 'utf8')) as Record<
    string,
    unknown
  >;

// ---------------------------------------------------------------- compose

export interface Service {
  image?: string;
  build?: { context?: string; target?: string };
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, string | number | null>;
  env_file?: unknown;
  ports?: string[];
  volumes?: (string | { type?: string; source?: string; target?: string; read_only?: boolean })[];
  secrets?: string[];
  healthcheck?: { test?: string | string[] };
  depends_on?: Record<string, { condition: string }>;
  restart?: string;
  container_name?: string;
  stop_grace_period?: string;
  networks?: string[];
  [key: string]: unknown;
}
export interface Compose {
  services: Record<string, Service>;
  secrets?: Record<string, { file?: string }>;
  volumes?: Record<string, unknown>;
  networks?: Record<string, { internal?: boolean } | null>;
}

/** A compose file as written (merge keys resolved, variables not yet interpolated). */
export function parseCompose(text: string): Compose {
  return parse(text, { merge: true, uniqueKeys: true }) as Compose;
}

export class MissingVariableError extends Error {}

/**
 * Compose's interpolation: `$$` → `$`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?message}`
 * and `${VAR?message}`. A missing required variable throws, naming it, as `docker compose` does.
 */
export function interpolate<T>(value: T, env: Record<string, string | undefined>): T {
  if (typeof value === 'string') {
    return value.replace(
      /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])([^}]*))?\}/g,
      (match, name: string | undefined, colon: string, op: string, arg: string) => {
        if (match === '$$') return '$';
        const raw = env[name as string];
        const missing = raw === undefined || (colon === ':' && raw === '');
        if (!missing) return raw as string;
        if (op === '?') throw new MissingVariableError(`required variable ${name} is missing a value: ${arg}`);
        if (op === '-') return arg;
        return '';
      },
    ) as T;
  }
  if (Array.isArray(value)) return value.map((item: unknown) => interpolate(item, env)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, env)])) as T;
  }
  return value;
}

// ---------------------------------------------------------------- JSON schemas

const describe = (errors: ErrorObject[] | null | undefined): string[] =>
  (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`.trim());

let composeValidator: ValidateFunction | undefined;
/** Errors of `document` against the Compose Specification schema; empty when valid. */
export function composeSchemaErrors(document: unknown): string[] {
  // Formats (durations, ports) are hints in this schema; the structure is what is checked. Its $schema
  // names draft-07 by an https address ajv does not know under that spelling; draft-07 is ajv's default.
  const { $schema: _draft, ...schema } = readSchema('compose-spec.schema.json');
  composeValidator ??= new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(schema);
  return composeValidator(document) ? [] : describe(composeValidator.errors);
}

interface KubernetesSchemas {
  definitions: Record<string, unknown>;
  kinds: { 'x-kubernetes-group-version-kind': { group: string; version: string; kind: string }[] }[];
}
let kubernetesValidators: Map<string, ValidateFunction> | undefined;
/** Errors of a Kubernetes object against the schema of its apiVersion and kind; a kind we have no schema for is an error. */
export function kubernetesSchemaErrors(object: { apiVersion?: unknown; kind?: unknown }): string[] {
  if (!kubernetesValidators) {
    const schemas = readSchema('kubernetes.schema.json') as unknown as KubernetesSchemas;
    const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
    ajv.addSchema(schemas.definitions);
    kubernetesValidators = new Map(
      schemas.kinds.map((schema) => {
        const [gvk] = schema['x-kubernetes-group-version-kind'];
        const apiVersion = gvk?.group ? `${gvk.group}/${gvk.version}` : gvk?.version;
        return [`${apiVersion} ${gvk?.kind}`, ajv.compile(schema)];
      }),
    );
  }
  const validate = kubernetesValidators.get(`${String(object.apiVersion)} ${String(object.kind)}`);
  if (!validate) return [`no vendored schema for ${String(object.apiVersion)} ${String(object.kind)}`];
  return validate(object) ? [] : describe(validate.errors);
}

export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
  [key: string]: unknown;
}
/** Every document of a multi-document YAML file. */
export function parseKubernetes(text: string): KubernetesObject[] {
  return parseAllDocuments(text).map((doc) => {
    if (doc.errors.length > 0) throw new Error(doc.errors.map((e) => e.message).join('; '));
    return doc.toJS() as KubernetesObject;
  });
}

// ---------------------------------------------------------------- secrets

/** Secrets by what they unlock. A service may see a group only if its role needs it. */
export const SECRET_GROUPS = {
  jira: ['JIRA_API_TOKEN'],
  slack: ['SLACK_BOT_TOKEN'],
  aha: ['AHA_API_TOKEN'],
  webhook: ['WEBHOOK_SECRET'],
  // The payload encryption keys (compose secret codec_keys): worker and relay seal the same payloads.
  payloads: ['DESKFLOW_CODEC_KEYS', 'CODEC_KEYS'],
  temporal: ['TEMPORAL_API_KEY', 'TEMPORAL_TLS_CLIENT_CERT', 'TEMPORAL_TLS_CLIENT_KEY'],
  database: ['POSTGRES_PASSWORD', 'POSTGRES_PWD', 'SQL_PASSWORD'],
} as const;
export type SecretGroup = keyof typeof SECRET_GROUPS;

const groupOfName = (name: string): SecretGroup | undefined => {
  const base = name.replace(/_FILE$/, '').toUpperCase();
  return (Object.keys(SECRET_GROUPS) as SecretGroup[]).find((group) =>
    (SECRET_GROUPS[group] as readonly string[]).includes(base),
  );
};

/**
 * The secret groups a compose service can read: from its environment variable names and from the
 * compose secrets mounted into it. Also reports secret values written into the file itself and any
 * env_file (which would hand a whole .env to the container).
 */
export function composeServiceSecrets(service: Service): { groups: SecretGroup[]; problems: string[] } {
  const groups = new Set<SecretGroup>();
  const problems: string[] = [];
  if (service.env_file !== undefined) problems.push('uses env_file (every variable of the file reaches the container)');
  for (const [name, value] of Object.entries(service.environment ?? {})) {
    const group = groupOfName(name);
    if (!group) continue;
    groups.add(group);
    if (!name.endsWith('_FILE')) problems.push(`${name} is given as a value, not as a secret file`);
    else if (typeof value !== 'string' || !value.startsWith('/run/secrets/'))
      problems.push(`${name} must point into /run/secrets/`);
  }
  for (const secret of service.secrets ?? []) {
    const group = groupOfName(secret);
    if (group) groups.add(group);
    else problems.push(`secret ${secret} belongs to no known group`);
  }
  return { groups: [...groups].sort(), problems };
}

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string }; configMapKeyRef?: { name: string } };
}
interface Container {
  name: string;
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
}

/** The secret groups a Kubernetes container can read, and the Secrets it reads them from. */
export function containerSecrets(container: Container): {
  groups: SecretGroup[];
  secrets: string[];
  problems: string[];
} {
  const groups = new Set<SecretGroup>();
  const secrets = new Set<string>();
  const problems: string[] = [];
  for (const from of container.envFrom ?? []) {
    if (from.secretRef) problems.push(`envFrom secretRef ${from.secretRef.name} hands over every key of the Secret`);
  }
  for (const variable of container.env ?? []) {
    const group = groupOfName(variable.name);
    const ref = variable.valueFrom?.secretKeyRef;
    if (ref) secrets.add(ref.name);
    if (!group) continue;
    groups.add(group);
    if (!ref) problems.push(`${variable.name} is not read from a Secret`);
  }
  return { groups: [...groups].sort(), secrets: [...secrets].sort(), problems };
}
