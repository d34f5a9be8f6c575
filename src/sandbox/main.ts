/**
 * `npm run sandbox -- --port N [--host H] [--webhook-url URL] [--webhook-secret S] [--data-file F]`:
 * the local Jira Service Management + Slack + Aha! stand-in on its own.
 */
import { parseArgs } from 'node:util';
import { startSandbox } from './server';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8788' },
      host: { type: 'string', default: '127.0.0.1' },
      'webhook-url': { type: 'string' },
      'webhook-secret': { type: 'string' },
      'data-file': { type: 'string' },
      'internal-domain': { type: 'string', multiple: true },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port must be a port number, got '${values.port}'`);
  const sandbox = await startSandbox({
    port,
    host: values.host,
    webhookUrl: values['webhook-url'],
    webhookSecret: values['webhook-secret'],
    dataFile: values['data-file'],
    internalDomains: values['internal-domain'],
  });
  console.log(`sandbox listening on ${sandbox.url}`);
  console.log(`  Jira:  ${sandbox.url}  (Basic auth: any-email:any-token)`);
  console.log(`  Slack: ${sandbox.slackApiUrl}`);
  console.log(`  Aha!:  ${sandbox.ahaApiUrl}`);
  console.log(`  tickets page: ${sandbox.url}/`);
  if (values['webhook-url']) console.log(`  webhooks → ${values['webhook-url']}`);
  const stop = () => {
    sandbox.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(`sandbox: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
