/** Shared by the client tests: the time-skipping Temporal server and history inspection. */
import type { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createServer } from 'node:net';
import { createTimeSkippingEnv } from '../../src/local/time-skipping';
import { ticketWorkflowId } from '../../src/workflows/ids';
import { searchAttributeDefinitions } from '../../src/workflows/search-attributes';
import { WorkflowJanitor } from '../helpers/isolation';

const { IndexedValueType } = temporal.api.enums.v1;

/** Records every workflow the client tests start; each file ends them after each test (issue 8). */
export const janitor = new WorkflowJanitor();

/**
 * The time-skipping server with deskflow's search attributes registered (the relay sets TicketKey
 * on start, and the server refuses attributes it does not know).
 */
export async function createClientTestEnv(): Promise<TestWorkflowEnvironment> {
  const env = await createTimeSkippingEnv({ client: janitor.clientOptions });
  const searchAttributes = Object.fromEntries(
    searchAttributeDefinitions.map((d) => [
      d.name,
      d.type === 'Keyword'
        ? IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD
        : d.type === 'Bool'
          ? IndexedValueType.INDEXED_VALUE_TYPE_BOOL
          : IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
    ]),
  );
  try {
    await env.connection.operatorService.addSearchAttributes({
      namespace: env.namespace ?? 'default',
      searchAttributes,
    });
  } catch (err) {
    if (!/already exists/i.test((err as Error).message)) {
      await env.teardown();
      throw err;
    }
  }
  return env;
}

export interface RecordedSignal {
  name: string;
  input: unknown;
}

/** The signals recorded in a ticket workflow's history, decoded, in order. */
export async function recordedSignals(client: Client, key: string): Promise<RecordedSignal[]> {
  const history = await client.workflow.getHandle(ticketWorkflowId(key)).fetchHistory();
  const signals: RecordedSignal[] = [];
  for (const event of history.events ?? []) {
    const attrs = event.workflowExecutionSignaledEventAttributes;
    if (!attrs) continue;
    const payload = attrs.input?.payloads?.[0];
    signals.push({
      name: attrs.signalName ?? '',
      input: payload ? defaultPayloadConverter.fromPayload(payload) : undefined,
    });
  }
  return signals;
}

/** How many runs were started for the ticket (its history's WorkflowExecutionStarted events). */
export async function startedRuns(client: Client, key: string): Promise<number> {
  const history = await client.workflow.getHandle(ticketWorkflowId(key)).fetchHistory();
  return (history.events ?? []).filter((e) => e.workflowExecutionStartedEventAttributes).length;
}

/** Resolves to true when no workflow (no run at all) exists for the ticket. */
export async function noWorkflow(client: Client, key: string): Promise<boolean> {
  try {
    await client.workflow.getHandle(ticketWorkflowId(key)).describe();
    return false;
  } catch (err) {
    if ((err as Error).name === 'WorkflowNotFoundError') return true;
    throw err;
  }
}

/** A loopback port nothing listens on: taken from the OS, then released. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
