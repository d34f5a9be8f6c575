/**
 * Who acted, as Jira Cloud says it. Its webhooks name every person by `accountId`, `displayName` and
 * `accountType` (`atlassian`, `customer` for JSM portal customers, `app` for automation and
 * integrations) and leave `emailAddress` out, so the relay decides from those:
 *
 * - **self**: deskflow's own account (`jira.identity.botAccountId`, else learned from Jira's "myself");
 * - **app**: `app` accounts and the configured `jira.identity.appAccountIds`;
 * - **staff**: `atlassian` accounts and the configured `jira.identity.staffAccountIds`;
 * - **customer**: `customer` accounts and everyone else.
 *
 * A payload with no account type at all (an old or hand-made one) falls back to its e-mail: the bot's
 * address is deskflow, an internal domain is staff. E-mail addresses the procedures need are looked up by
 * account id later, by the workflow (an activity), never taken from the webhook.
 */
import { createCloudClient } from 'jira.js';
import type { DeskflowConfig, DeskflowEnv } from '../../config';
import type { ActorKind } from '../../workflows/messages';
import type { JiraUser } from './payload';

export type { ActorKind };

/** What the relay knows about itself. */
export interface Identity {
  /** deskflow's Jira account id; null when unknown (then only the bot's e-mail, if shown, tells). */
  selfAccountId: string | null;
}

export function actorKind(user: JiraUser | null | undefined, config: DeskflowConfig, identity: Identity): ActorKind {
  if (!user) return 'customer';
  const ids = config.jira.identity;
  const accountId = user.accountId ?? null;
  const email = user.emailAddress?.trim().toLowerCase() || null;
  const type = typeof user.accountType === 'string' ? user.accountType : null;
  if (accountId && accountId === identity.selfAccountId) return 'self';
  // Without an account type the payload is not Jira Cloud's: only its e-mail can tell.
  const legacy = type === null ? email : null;
  if (legacy && legacy === config.jira.botEmail.toLowerCase()) return 'self';
  if (type === 'app' || (accountId && ids.appAccountIds.includes(accountId))) return 'app';
  if (type === 'atlassian' || (accountId && ids.staffAccountIds.includes(accountId))) return 'staff';
  if (legacy) {
    const domain = legacy.slice(legacy.lastIndexOf('@') + 1);
    if (config.roles.internalDomains.some((d) => d.toLowerCase() === domain)) return 'staff';
  }
  return 'customer';
}

/** The desk's side (deskflow, its automation and apps, staff) as opposed to customers. */
export function isDeskSide(kind: ActorKind): boolean {
  return kind !== 'customer';
}

export interface JiraCredentials {
  host: string;
  email: string;
  apiToken: string;
}

/** deskflow's own account id, from Jira's GET /rest/api/3/myself with deskflow's credentials. */
export async function learnSelfAccountId(jira: JiraCredentials): Promise<string> {
  const client = createCloudClient({
    host: jira.host,
    auth: { type: 'basic', email: jira.email, apiToken: jira.apiToken },
  });
  const me = await client.myself.getCurrentUser();
  const id = (me as { accountId?: unknown }).accountId;
  if (typeof id !== 'string' || !id) throw new Error(`Jira's /myself at ${jira.host} returned no accountId`);
  return id;
}

/**
 * deskflow's account id as the relay should use it: the configured one, else learned once (and again
 * after a failure) through `learn`. Null when neither is available.
 */
export function selfAccountIdSource(
  config: DeskflowConfig,
  learn: (() => Promise<string>) | undefined,
): () => Promise<string | null> {
  const configured = config.jira.identity.botAccountId;
  if (configured) return () => Promise.resolve(configured);
  if (!learn) return () => Promise.resolve(null);
  let pending: Promise<string> | undefined;
  return () => {
    pending ??= learn().catch((err: unknown) => {
      pending = undefined;
      throw err;
    });
    return pending;
  };
}

/**
 * The relay's start-up check: against a real Jira (JIRA_HOST) it must know deskflow's own account, from
 * `jira.identity.botAccountId` in the configuration or learned from "myself" with JIRA_EMAIL and
 * JIRA_API_TOKEN of its own. In compose and Kubernetes the relay gets no Jira token, so the configuration
 * must carry the key; without it the relay stops at once, naming the key (test/deploy checks this).
 */
export function relayIdentityProblem(
  config: DeskflowConfig,
  env: Pick<DeskflowEnv, 'JIRA_HOST' | 'JIRA_EMAIL' | 'JIRA_API_TOKEN'>,
): string | null {
  if (!env.JIRA_HOST || config.jira.identity.botAccountId) return null;
  if (env.JIRA_EMAIL && env.JIRA_API_TOKEN) return null;
  return `the relay must know deskflow's own Jira account at ${env.JIRA_HOST}: set jira.identity.botAccountId in the configuration file (the accountId that GET /rest/api/3/myself returns for deskflow's Jira user), or give the relay JIRA_EMAIL and JIRA_API_TOKEN`;
}
