/**
 * `npm run relay`: the webhook relay on its own (RELAY_PORT, default 8787). Jira Cloud's admin
 * webhook (or JSM automation) points at http://HOST:PORT/webhooks/jira.
 */
import { loadConfig, loadEnv } from '../../config';
import { connectClient, ticketTaskQueue } from '../connection';
import { startRelay, WEBHOOK_PATH } from './server';

async function main(): Promise<void> {
  const env = loadEnv();
  const config = loadConfig({ file: env.DESKFLOW_CONFIG });
  const client = await connectClient(env);
  const relay = await startRelay({
    client,
    config,
    taskQueue: ticketTaskQueue(env, config),
    port: env.RELAY_PORT,
    // Jira must be able to reach it: listen on every interface.
    host: '0.0.0.0',
    webhookSecret: env.WEBHOOK_SECRET,
  });
  process.stdout.write(`deskflow relay listening on ${relay.url}${WEBHOOK_PATH}\n`);
  const stop = (): void => {
    void relay
      .close()
      .then(() => client.connection.close())
      .finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`deskflow relay: ${(err as Error).message}\n`);
  process.exit(1);
});
