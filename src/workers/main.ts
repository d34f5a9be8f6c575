/**
 * The standalone worker process (docker-compose, production): loads configuration, connects, runs
 * until SIGINT/SIGTERM, then drains and closes the connection.
 */
import { NativeConnection } from '@temporalio/worker';
import { loadConfig, loadEnv } from '../config';
import { dataConverterFrom, localDataDir } from '../shared/data-converter';
import { healthAddressFromEnv, startWorkerHealthServer, temporalAnswers } from './health';
import { createWorker } from './worker';

async function main(): Promise<void> {
  const env = loadEnv();
  const config = loadConfig({ file: env.DESKFLOW_CONFIG });
  const healthAddress = healthAddressFromEnv(process.env);
  const connection = await NativeConnection.connect({ address: env.TEMPORAL_ADDRESS ?? 'localhost:7233' });
  const bundlePath = env.DESKFLOW_WORKFLOW_BUNDLE;
  const worker = await createWorker({
    connection,
    namespace: env.TEMPORAL_NAMESPACE,
    taskQueue: env.TEMPORAL_TASK_QUEUE ?? config.worker.taskQueue,
    config,
    env,
    sandboxUrl: env.SANDBOX_URL,
    dataConverter: dataConverterFrom(env, localDataDir(env)),
    ...(bundlePath ? { workflowBundle: { codePath: bundlePath } } : {}),
  });
  console.log(
    `deskflow worker polling task queue ${worker.options.taskQueue} on ${env.TEMPORAL_ADDRESS ?? 'localhost:7233'}`,
  );
  const health = healthAddress
    ? await startWorkerHealthServer(
        { state: () => worker.getState(), temporalReachable: () => temporalAnswers(connection) },
        healthAddress,
      )
    : undefined;
  try {
    await worker.run(); // the SDK shuts down gracefully on SIGINT/SIGTERM
  } finally {
    await health?.close();
    await connection.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
