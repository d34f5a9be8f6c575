/**
 * The standalone worker process (docker-compose, production): loads configuration, connects with the
 * shared connection settings (src/client/connection.ts), runs until SIGINT/SIGTERM, then drains and
 * closes the connection. Loss of Temporal is reported once when it starts and once when it ends.
 */
import { NativeConnection } from '@temporalio/worker';
import { temporalSettings } from '../client/connection';
import { loadConfig, loadEnv } from '../config';
import { installQuietRuntime, watchTemporal } from '../local/temporal-watch';
import { dataConverterFrom, localDataDir } from '../shared/data-converter';
import { healthAddressFromEnv, startWorkerHealthServer, temporalAnswers } from './health';
import { metricsAddressFromEnv, startWorkerTicketGauges } from './metrics';
import { createWorker } from './worker';
import { activityDepsFromEnv } from '../activities';
import { createJiraClients } from '../activities/clients';
import { jiraPermissionWarnings } from '../activities/jira-permissions';

const say = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const env = loadEnv();
  const config = loadConfig({ file: env.DESKFLOW_CONFIG });
  const healthAddress = healthAddressFromEnv(process.env);
  const settings = temporalSettings(process.env);
  const metricsAddress = metricsAddressFromEnv(process.env);
  installQuietRuntime(say, 'worker', { metricsAddress });
  let connection: NativeConnection;
  try {
    connection = await NativeConnection.connect(settings.connectionOptions);
  } catch (err) {
    throw new Error(`cannot reach Temporal at ${settings.address}: ${(err as Error).message}`, { cause: err });
  }
  const bundlePath = env.DESKFLOW_WORKFLOW_BUNDLE;
  const worker = await createWorker({
    connection,
    namespace: settings.namespace,
    taskQueue: env.TEMPORAL_TASK_QUEUE ?? config.worker.taskQueue,
    config,
    env,
    sandboxUrl: env.SANDBOX_URL,
    dataConverter: dataConverterFrom(env, localDataDir(env)),
    ...(bundlePath ? { workflowBundle: { codePath: bundlePath } } : {}),
  });
  say(`deskflow worker polling task queue ${worker.options.taskQueue} on ${settings.address}`);
  // Missing Jira permissions do not stop the worker: each is named once, with what it affects.
  try {
    const deps = activityDepsFromEnv(config, env, env.SANDBOX_URL);
    for (const line of await jiraPermissionWarnings(createJiraClients(deps.jira), config)) say(line);
  } catch (err) {
    say(`Jira: could not check deskflow's permissions: ${(err as Error).message}`);
  }
  const gauges = metricsAddress
    ? startWorkerTicketGauges(connection, settings.namespace, (err) =>
        say(`[worker] WARN ticket gauges: cannot count tickets: ${(err as Error).message}`),
      )
    : undefined;
  if (metricsAddress) say(`deskflow worker metrics on http://${metricsAddress}/metrics`);
  const watch = watchTemporal({
    address: settings.address,
    probe: () => connection.withDeadline(Date.now() + 2_000, () => connection.workflowService.getSystemInfo({})),
    report: say,
  });
  const health = healthAddress
    ? await startWorkerHealthServer(
        { state: () => worker.getState(), temporalReachable: () => temporalAnswers(connection) },
        healthAddress,
      )
    : undefined;
  try {
    await worker.run(); // the SDK shuts down gracefully on SIGINT/SIGTERM
  } finally {
    watch.stop();
    gauges?.stop();
    await health?.close();
    await connection.close();
  }
}

main().catch((err: unknown) => {
  console.error(`deskflow worker: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
