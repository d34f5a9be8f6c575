/**
 * `npm run relay`: the webhook relay on its own (RELAY_PORT, default 8787). Jira Cloud's admin
 * webhook (or JSM automation) points at http://HOST:PORT/webhooks/jira. It listens on every
 * interface, so it refuses to start without WEBHOOK_SECRET.
 */
import { loadConfig, loadEnv } from '../../config';
import { connectClient, temporalSettings, ticketTaskQueue } from '../connection';
import { formatLog, logFormatFromEnv } from '../../shared/logging';
import { activityDepsFromEnv } from '../../activities/clients';
import { webhookSecretProblem } from './auth';
import { learnSelfAccountId, relayIdentityProblem } from './identity';
import { startRelay, WEBHOOK_PATH } from './server';

async function main(): Promise<void> {
  // The relay calls Jira only to learn its own account id, and only without jira.identity.botAccountId.
  const env = loadEnv(process.env, { jiraCredentialsOptional: true });
  const config = loadConfig({ file: env.DESKFLOW_CONFIG });
  // Refuse a missing secret before connecting anywhere.
  const problem = webhookSecretProblem({
    secret: env.WEBHOOK_SECRET,
    host: '0.0.0.0',
    realJira: Boolean(env.JIRA_HOST),
  });
  if (problem) throw new Error(problem);
  // deskflow's own Jira account: configured, or learned from Jira's "myself" with deskflow's credentials
  // (the sandbox's when no Jira is set), so its own comments are never taken for a customer's.
  const identityProblem = relayIdentityProblem(config, env);
  if (identityProblem) throw new Error(identityProblem);
  const jira = activityDepsFromEnv(config, env, env.SANDBOX_URL).jira;
  const client = await connectClient(process.env);
  try {
    const relay = await startRelay({
      client,
      config,
      taskQueue: ticketTaskQueue(env, config),
      port: env.RELAY_PORT,
      // Jira must be able to reach it: listen on every interface.
      host: '0.0.0.0',
      webhookSecret: env.WEBHOOK_SECRET,
      realJira: Boolean(env.JIRA_HOST),
      queueSweep: true,
      // One JSON object per line in production, readable on a terminal (src/shared/logging.ts).
      log: (line) =>
        process.stderr.write(
          `${formatLog(logFormatFromEnv(), { level: 'INFO', component: 'relay', message: line })}\n`,
        ),
      whoAmI: () => learnSelfAccountId(jira),
    });
    process.stdout.write(
      `deskflow relay listening on ${relay.url}${WEBHOOK_PATH} (Temporal ${temporalSettings().address})\n`,
    );
    const stop = (): void => {
      void relay
        .close()
        .then(() => client.connection.close())
        .finally(() => process.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  } catch (err) {
    await client.connection.close();
    throw err;
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`deskflow relay: ${(err as Error).message}\n`);
  process.exit(1);
});
