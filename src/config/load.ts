/**
 * Loads the configuration: defaults, then the configuration file, then per-run overrides
 * (the scenario runner's `config`), validated at once with errors that name the bad key.
 */
import { readFileSync } from 'node:fs';
import { describeIssues } from '../shared/zod-issues';
import { configSchema, type DeskflowConfig } from './schema';
import { defaultConfig } from './defaults';

export class ConfigError extends Error {
  constructor(
    message: string,
    readonly issues: string[],
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

type Json = Record<string, unknown>;

function isPlainObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Objects merge key by key; arrays and scalars replace. */
export function mergeConfig<T>(base: T, override: unknown): T {
  if (!isPlainObject(base) || !isPlainObject(override)) return (override === undefined ? base : override) as T;
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(override)) out[k] = k in out ? mergeConfig(out[k], v) : v;
  return out as T;
}

/** Validates a complete configuration object; throws ConfigError naming every bad key. */
export function validateConfig(candidate: unknown, source = 'configuration'): DeskflowConfig {
  const result = configSchema.safeParse(candidate);
  if (result.success) return result.data;
  const issues = describeIssues(result.error);
  throw new ConfigError(`invalid ${source}: ${issues.join('; ')}`, issues);
}

export interface LoadConfigOptions {
  /** A JSON configuration file (DESKFLOW_CONFIG). */
  file?: string;
  /** Extra overrides merged last. */
  overrides?: unknown;
}

export function loadConfig(options: LoadConfigOptions = {}): DeskflowConfig {
  let merged: unknown = defaultConfig;
  if (options.file) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(options.file, 'utf8'));
    } catch (err) {
      throw new ConfigError(`cannot read configuration file ${options.file}: ${(err as Error).message}`, []);
    }
    merged = mergeConfig(merged, parsed);
  }
  if (options.overrides !== undefined) merged = mergeConfig(merged, options.overrides);
  return validateConfig(merged, options.file ? `configuration file ${options.file}` : 'configuration');
}
