/**
 * Secrets and endpoints, only from the environment. With none set, everything points at the
 * local sandbox and the local dev server.
 */
import { z } from 'zod';
import { describeIssues } from '../shared/zod-issues';
import { ConfigError } from './load';

const optionalUrl = z.string().url().optional();

const envSchema = z.object({
  DESKFLOW_CONFIG: z.string().optional(),
  DESKFLOW_DATA_DIR: z.string().optional(),
  TEMPORAL_ADDRESS: z.string().optional(),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().optional(),
  JIRA_HOST: optionalUrl,
  JIRA_EMAIL: z.string().optional(),
  JIRA_API_TOKEN: z.string().optional(),
  SLACK_BOT_TOKEN: z.string().optional(),
  SLACK_API_URL: optionalUrl,
  AHA_DOMAIN: z.string().optional(),
  AHA_API_TOKEN: z.string().optional(),
  AHA_API_URL: optionalUrl,
  WEBHOOK_SECRET: z.string().optional(),
  /** Where the sandbox runs when it stands in for Jira, Slack and Aha! (a separate process). */
  SANDBOX_URL: optionalUrl,
  /** A prebuilt workflow bundle for the production worker image. */
  DESKFLOW_WORKFLOW_BUNDLE: z.string().optional(),
  /** Payload encryption keys, `ID:BASE64[,ID:BASE64…]`, and the id new payloads are sealed with. */
  DESKFLOW_CODEC_KEYS: z.string().optional(),
  DESKFLOW_CODEC_KEY_ID: z.string().optional(),
  /** When set, the codec server asks every caller for `Authorization: Bearer <token>`. */
  DESKFLOW_CODEC_TOKEN: z.string().optional(),
  CODEC_PORT: z.coerce.number().int().min(0).max(65535).default(8789),
  /** The supervisor board (src/board), behind DESKFLOW_BOARD_TOKEN (npm start makes one when unset). */
  BOARD_PORT: z.coerce.number().int().min(0).max(65535).default(8791),
  DESKFLOW_BOARD_TOKEN: z.string().min(16).optional(),
  /** The Temporal Web UI the board links tickets to, when Temporal is not the local dev server. */
  TEMPORAL_UI_URL: optionalUrl,
  RELAY_PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  SANDBOX_PORT: z.coerce.number().int().min(0).max(65535).default(8788),
  UI_PORT: z.coerce.number().int().min(0).max(65535).default(8233),
  TEMPORAL_PORT: z.coerce.number().int().min(0).max(65535).default(7233),
});

export type DeskflowEnv = z.infer<typeof envSchema>;

export interface LoadEnvOptions {
  /**
   * The relay never calls Jira with credentials of its own (compose and Kubernetes give it none): JIRA_HOST
   * alone is then fine, and its own account id comes from the configuration (jira.identity.botAccountId).
   */
  jiraCredentialsOptional?: boolean;
}

/** Reads the environment; a malformed value stops start-up naming the variable. */
export function loadEnv(env: NodeJS.ProcessEnv = process.env, options: LoadEnvOptions = {}): DeskflowEnv {
  const result = envSchema.safeParse(env);
  if (!result.success) {
    const issues = describeIssues(result.error);
    throw new ConfigError(`invalid environment: ${issues.join('; ')}`, issues);
  }
  const e = result.data;
  const jira: [keyof DeskflowEnv, keyof DeskflowEnv][] = [
    ['JIRA_HOST', 'JIRA_API_TOKEN'],
    ['JIRA_HOST', 'JIRA_EMAIL'],
  ];
  const pairs: [keyof DeskflowEnv, keyof DeskflowEnv][] = [
    ...(options.jiraCredentialsOptional ? [] : jira),
    ['AHA_DOMAIN', 'AHA_API_TOKEN'],
  ];
  for (const [a, b] of pairs) {
    if (e[a] && !e[b]) throw new ConfigError(`invalid environment: ${b}: required when ${a} is set`, [b]);
  }
  return e;
}

/** True when no real Jira is configured: the local sandbox stands in for Jira, Slack and Aha!. */
export function usesSandbox(env: DeskflowEnv): boolean {
  return !env.JIRA_HOST;
}
