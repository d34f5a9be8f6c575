/**
 * The dev server keeps every workflow in its SQLite file: a workflow started before a restart is still
 * there after it and completes when signalled. A fresh file knows nothing of it, which shows the state
 * lives in the file and not in some other place.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { fixtureWorkflowsPath, startDevServer, uniqueTaskQueue } from '../helpers/temporal';
import { finishSignal, waitForSignalWorkflow } from '../fixtures/workflows';
import type { DevServer } from '../../src/local/dev-server';

let dir: string;
let server: DevServer | undefined;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'deskflow-dev-server-'));
});

afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
}, 30_000);

async function withClient<T>(address: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const connection = await Connection.connect({ address });
  try {
    return await fn(new Client({ connection }));
  } finally {
    await connection.close();
  }
}

test('a workflow started before a dev-server restart on the same SQLite file resumes and completes after it', async () => {
  const dbFile = join(dir, 'temporal.db');
  const taskQueue = uniqueTaskQueue('dev-server-restart');
  const workflowId = `${taskQueue}-wf`;

  // 1. Start the server and a workflow that parks on a signal; no worker yet, so it cannot finish early.
  server = await startDevServer({ dbFile, uiPort: false, output: 'ignore' });
  const firstRunId = await withClient(server.address, async (client) => {
    const handle = await client.workflow.start(waitForSignalWorkflow, {
      taskQueue,
      workflowId,
    });
    return handle.firstExecutionRunId;
  });
  await server.stop();
  server = undefined;

  // 2. A fresh data file does not know the workflow: the state is in the file.
  const other = await startDevServer({
    dbFile: join(dir, 'other.db'),
    uiPort: false,
    output: 'ignore',
  });
  try {
    await withClient(other.address, async (client) => {
      await expect(client.workflow.getHandle(workflowId).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
    });
  } finally {
    await other.stop();
  }

  // 3. Restart on the same file: the workflow is there, still running, and completes once signalled.
  server = await startDevServer({ dbFile, uiPort: false, output: 'ignore' });
  const connection = await NativeConnection.connect({
    address: server.address,
  });
  try {
    const worker = await Worker.create({
      connection,
      taskQueue,
      workflowsPath: fixtureWorkflowsPath,
    });
    const result = await worker.runUntil(
      withClient(server.address, async (client) => {
        const handle = client.workflow.getHandle<typeof waitForSignalWorkflow>(workflowId);
        const description = await handle.describe();
        expect(description.runId).toBe(firstRunId);
        expect(description.status.name).toBe('RUNNING');
        await handle.signal(finishSignal, 'after restart');
        return await handle.result();
      }),
    );
    expect(result).toBe('finished: after restart');
  } finally {
    await connection.close();
  }
}, 180_000);
