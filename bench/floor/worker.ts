/**
 * The floor worker process (bench/lib/stack.ts starts it): the floor workflows on their own task queue,
 * with the same data converter (payload encryption) as deskflow's worker.
 */
import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker } from '@temporalio/worker';
import { dataConverterFrom } from '../../src/shared/data-converter';
import { floorActivities } from './activities';

async function main(): Promise<void> {
  const address = process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233';
  const sandboxUrl = process.env.FLOOR_SANDBOX_URL;
  if (!sandboxUrl) throw new Error('FLOOR_SANDBOX_URL is required');
  const connection = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection,
    namespace: 'default',
    taskQueue: process.env.FLOOR_TASK_QUEUE ?? 'bench-floor',
    ...(process.env.FLOOR_BUNDLE
      ? { workflowBundle: { codePath: process.env.FLOOR_BUNDLE } }
      : { workflowsPath: fileURLToPath(new URL('./workflows.ts', import.meta.url)) }),
    activities: floorActivities(sandboxUrl),
    dataConverter: dataConverterFrom(process.env),
  });
  process.stdout.write(`floor worker polling ${worker.options.taskQueue}\n`);
  await worker.run();
  await connection.close();
}

main().catch((err: unknown) => {
  process.stderr.write(`floor worker: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
