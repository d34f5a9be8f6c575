/**
 * Nothing a customer wrote is readable in Temporal's database or an exported history: a ticket runs on
 * the dev server (SQLite file) through the sandbox, relay and worker with the codec, and then neither the
 * database files nor `temporal workflow show` contain the reporter's e-mail or a sentence of the description.
 * The workflow id (stored in plain text by design) is found, so the grep itself works.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { startRelay, WEBHOOK_PATH, type Relay } from '../../src/client/relay/server';
import { loadConfig, loadEnv } from '../../src/config';
import type { DevServer } from '../../src/local/dev-server';
import { temporalCliPath } from '../../src/local/tools';
import { startSandbox, type Sandbox } from '../../src/sandbox/server';
import { createDataConverter } from '../../src/shared/data-converter';
import { generateCodecKeyEntry, parseCodecKeys } from '../../src/shared/codec';
import { createWorker } from '../../src/workers/worker';
import { ticketWorkflowId } from '../../src/workflows/ids';
import { statusQuery } from '../../src/workflows/messages';
import { startDevServer, uniqueTaskQueue } from '../helpers/temporal';
import { testWorkflowBundle } from '../helpers/workflow-bundle';

const EMAIL = 'priya.nakamura@brightleafsolar.example';
const SENTENCE = 'Our installer crew in Fresno cannot find the second roof plane button';
const SECRET = 'no-plaintext-secret';

let dir: string;
let server: DevServer | undefined;
const closers: (() => Promise<unknown>)[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'deskflow-no-plaintext-'));
});

afterAll(async () => {
  for (const close of closers.reverse()) await close().catch(() => undefined);
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
}, 30_000);

test('after a ticket ran on the dev server, its SQLite file and `temporal workflow show` hold neither the e-mail nor the description', async () => {
  const dbFile = join(dir, 'temporal.db');
  server = await startDevServer({ dbFile, uiPort: false, output: 'ignore' });
  const dataConverter = createDataConverter(parseCodecKeys(generateCodecKeyEntry('test')));
  const config = loadConfig({});
  const taskQueue = uniqueTaskQueue('no-plaintext');

  const connection = await Connection.connect({ address: server.address });
  closers.push(() => connection.close());
  const client = new Client({ connection, dataConverter });
  const relay: Relay = await startRelay({ client, taskQueue, config, port: 0, webhookSecret: SECRET, log: () => {} });
  closers.push(() => relay.close());
  const sandbox: Sandbox = await startSandbox({
    port: 0,
    webhookUrl: `${relay.url}${WEBHOOK_PATH}`,
    webhookSecret: SECRET,
    internalDomains: config.roles.internalDomains,
  });
  closers.push(() => sandbox.close());
  const native = await NativeConnection.connect({ address: server.address });
  closers.push(() => native.close());
  const worker: Worker = await createWorker({
    connection: native,
    namespace: 'default',
    taskQueue,
    config,
    env: loadEnv({}),
    sandboxUrl: sandbox.url,
    dataConverter,
    workflowBundle: testWorkflowBundle(),
  });

  const { key } = sandbox.createTicket({
    summary: 'How do I add a roof plane?',
    description: `${SENTENCE}.`,
    reporter: EMAIL,
  });
  const workflowId = ticketWorkflowId(key);
  // The client, with the codec, reads everything the workflow says.
  const status = await worker.runUntil(async () => {
    for (let i = 0; i < 300; i++) {
      const s = await client.workflow
        .getHandle(workflowId)
        .query(statusQuery)
        .catch(() => null);
      if (s?.stage === 'with-support') return s;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error('the ticket never reached with-support');
  });
  expect(status.timeline.map((e) => e.text).join(' ')).toContain('Classified as');

  const { stdout } = await promisify(execFile)(
    temporalCliPath(),
    ['workflow', 'show', '--address', server.address, '--workflow-id', workflowId, '--output', 'json'],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  const decodedData = [...stdout.matchAll(/"data":\s*"([A-Za-z0-9+/=]+)"/g)]
    .map((m) => Buffer.from(m[1] as string, 'base64').toString('latin1'))
    .join('\n');
  await client.workflow.getHandle(workflowId).terminate('test over');
  await server.stop();
  server = undefined;

  const db = readdirSync(dir)
    .filter((f) => f.startsWith('temporal.db'))
    .map((f) => readFileSync(join(dir, f)).toString('latin1'))
    .join('\n');
  expect(db).toContain(workflowId);
  expect(stdout).toContain(workflowId);
  for (const [where, textFound] of [
    ['database', db],
    ['workflow show', stdout],
    ['workflow show payloads', decodedData],
  ] as const) {
    expect({ where, email: textFound.includes(EMAIL) }).toEqual({ where, email: false });
    expect({ where, sentence: textFound.includes(SENTENCE) }).toEqual({ where, sentence: false });
  }
}, 180_000);
