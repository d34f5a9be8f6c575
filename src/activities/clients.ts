/**
 * Builds the outside-system clients from plain connection settings. Retries are off in every client:
 * Temporal's retry policy owns them, so a 429 waits the server's delay and a retry is visible in history.
 */
import { createAgileClient, createCloudClient, createServiceDeskClient } from 'jira.js';
import { createClient } from 'jira.js/core';
import { WebClient, LogLevel } from '@slack/web-api';
import type { DeskflowConfig } from '../config/schema';
import type { DeskflowEnv } from '../config/env';

export interface JiraConnection {
  /** Site URL, e.g. https://example.atlassian.net or the sandbox's http://127.0.0.1:PORT. */
  host: string;
  email: string;
  apiToken: string;
}

export interface SlackConnection {
  /** Web API base ending in a slash; Slack's own when absent. */
  apiUrl?: string;
  token: string;
}

export interface AhaConnection {
  /** API base, e.g. https://company.aha.io/api/v1 or the sandbox's http://127.0.0.1:PORT/aha/api/v1. */
  baseUrl: string;
  token: string;
}

/** Everything the activities need; activities never read process.env. */
export interface ActivityDeps {
  config: DeskflowConfig;
  jira: JiraConnection;
  slack: SlackConnection;
  aha: AhaConnection;
}

export interface JiraClients {
  cloud: ReturnType<typeof createCloudClient>;
  serviceDesk: ReturnType<typeof createServiceDeskClient>;
  agile: ReturnType<typeof createAgileClient>;
}

export function createJiraClients(conn: JiraConnection): JiraClients {
  // One transport for the three surfaces: one set of credentials, no client-side retries.
  const client = createClient({
    host: conn.host,
    auth: { type: 'basic', email: conn.email, apiToken: conn.apiToken },
    retry: { maxAttempts: 1 },
    onSchemaMismatch: 'silent',
  });
  return {
    cloud: createCloudClient(client),
    serviceDesk: createServiceDeskClient(client),
    agile: createAgileClient(client),
  };
}

export function createSlackClient(conn: SlackConnection): WebClient {
  return new WebClient(conn.token, {
    ...(conn.apiUrl
      ? {
          slackApiUrl: conn.apiUrl.endsWith('/') ? conn.apiUrl : `${conn.apiUrl}/`,
        }
      : {}),
    // No in-client retries and no client-wide pause on 429: the activity fails with Retry-After instead.
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 30_000,
    logLevel: LogLevel.ERROR,
  });
}

const SANDBOX_TOKEN = 'sandbox-token';

function sandboxBase(env: DeskflowEnv, sandboxUrl?: string): string {
  return (sandboxUrl ?? `http://127.0.0.1:${env.SANDBOX_PORT}`).replace(/\/+$/, '');
}

function ahaBaseFromDomain(domain: string): string {
  const host = domain.includes('.') ? domain : `${domain}.aha.io`;
  return `https://${host.replace(/^https?:\/\//, '').replace(/\/+$/, '')}/api/v1`;
}

/**
 * Connection settings from the environment. A service whose credentials are not set points at the
 * sandbox (`sandboxUrl`, else 127.0.0.1:SANDBOX_PORT), acting as the configured bot user.
 */
export function activityDepsFromEnv(config: DeskflowConfig, env: DeskflowEnv, sandboxUrl?: string): ActivityDeps {
  const sandbox = sandboxBase(env, sandboxUrl);
  const jira: JiraConnection =
    env.JIRA_HOST && env.JIRA_EMAIL && env.JIRA_API_TOKEN
      ? {
          host: env.JIRA_HOST,
          email: env.JIRA_EMAIL,
          apiToken: env.JIRA_API_TOKEN,
        }
      : { host: sandbox, email: config.jira.botEmail, apiToken: SANDBOX_TOKEN };
  const slack: SlackConnection = env.SLACK_BOT_TOKEN
    ? {
        token: env.SLACK_BOT_TOKEN,
        ...(env.SLACK_API_URL ? { apiUrl: env.SLACK_API_URL } : {}),
      }
    : { token: `xoxb-${SANDBOX_TOKEN}`, apiUrl: `${sandbox}/slack/api/` };
  const aha: AhaConnection =
    env.AHA_API_TOKEN && (env.AHA_API_URL || env.AHA_DOMAIN)
      ? {
          token: env.AHA_API_TOKEN,
          baseUrl: env.AHA_API_URL ?? ahaBaseFromDomain(env.AHA_DOMAIN ?? ''),
        }
      : { token: SANDBOX_TOKEN, baseUrl: `${sandbox}/aha/api/v1` };
  return { config, jira, slack, aha };
}
