/**
 * The webhook relay: Jira Cloud (or the sandbox) → Temporal. Every event for an SS ticket is
 * delivered with signalWithStart on `ticket-<KEY>`, so a webhook that is redelivered, arrives out
 * of order, or comes before the worker is up never starts a second workflow nor loses the event.
 * It answers 2xx only after Temporal accepted the signal, so Jira retries anything not recorded.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { SignalDefinition } from '@temporalio/common';
import type { DeskflowConfig } from '../../config';
import type { ticketWorkflow } from '../../workflows';
import { ticketWorkflowId } from '../../workflows/ids';
import {
  commentAddedSignal,
  linkedIssueChangedSignal,
  ticketCreatedSignal,
  ticketEditedSignal,
  type TicketWorkflowInput,
} from '../../workflows/messages';
import { ticketKeyAttribute } from '../../workflows/search-attributes';
import { TICKET_WORKFLOW_TYPE } from '../connection';
import { ticketRunMetadata } from '../ticket-metadata';
import { PROMETHEUS_CONTENT_TYPE, Registry } from '../../shared/prometheus';
import { checkWebhookAuth, webhookSecretProblem } from './auth';
import { isIssueKey, jsonBoundsProblem, LIMITS } from '../../shared/json-bounds';
import { selfAccountIdSource, type Identity } from './identity';
import { mapWebhook, type Delivery } from './mapping';
import { parseWebhook, PayloadError } from './payload';

export interface RelayOptions {
  client: Client;
  taskQueue: string;
  config: DeskflowConfig;
  port: number;
  host?: string;
  /**
   * HMAC secret (X-Hub-Signature) or shared-secret header value; every request is refused without it
   * when set. Required unless the relay listens on loopback only for the local sandbox.
   */
  webhookSecret?: string;
  /** Real Jira sends the webhooks (JIRA_HOST is set): a secret is required wherever the relay listens. */
  realJira?: boolean;
  /**
   * `/healthz` also requires a worker polling the task queue (default true); off for tests of the
   * relay alone.
   */
  healthNeedsWorker?: boolean;
  /** Where the relay reports what it refused or could not deliver (default: stderr). */
  log?: (line: string) => void;
  /** How many recent X-Atlassian-Webhook-Identifier values are remembered (default 10 000). */
  rememberDeliveries?: number;
  /** How long one call to Temporal may take before the delivery is answered 503 (default 10 s). */
  temporalTimeoutMs?: number;
  /**
   * Learns deskflow's own Jira account id (Jira's GET /myself with deskflow's credentials), once, on the
   * first event, unless `jira.identity.botAccountId` is configured. Without either only a payload's
   * e-mail can tell deskflow's own events (old payloads; Jira Cloud's carry none).
   */
  whoAmI?: () => Promise<string>;
}

export interface Relay {
  url: string;
  close(): Promise<void>;
}

export const WEBHOOK_PATH = '/webhooks/jira';

const SIGNALS = {
  created: ticketCreatedSignal,
  comment: commentAddedSignal,
  linked: linkedIssueChangedSignal,
  edited: ticketEditedSignal,
} as const satisfies Record<Delivery['kind'], unknown>;
export const HEALTH_PATH = '/healthz';
/** Prometheus metrics of the relay: requests, latencies, deliveries. */
export const METRICS_PATH = '/metrics';
const DELIVERY_HEADER = 'x-atlassian-webhook-identifier';
const MAX_BODY_BYTES = LIMITS.bodyBytes;
/** A worker whose last poll is older than this is gone (a live one polls at least once a minute). */
const POLLER_FRESH_MS = 90_000;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** A bounded memory of recent delivery ids: the oldest is forgotten first. */
class RecentIds {
  private readonly ids = new Set<string>();
  constructor(private readonly max: number) {}
  has(id: string): boolean {
    return this.ids.has(id);
  }
  add(id: string): void {
    this.ids.delete(id);
    this.ids.add(id);
    while (this.ids.size > this.max) {
      const oldest = this.ids.values().next().value;
      if (oldest === undefined) break;
      this.ids.delete(oldest);
    }
  }
}

const tooLarge = () => new HttpError(413, `body larger than ${MAX_BODY_BYTES} bytes`);

/**
 * The raw body, up to MAX_BODY_BYTES. A declared Content-Length over the limit is refused before a
 * byte is read; a chunked body is refused as soon as it passes the limit (the rest is not read).
 */
function readBody(req: IncomingMessage): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.off('data', onData);
        req.pause();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  const headers: Record<string, string | number> = {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  };
  // An unread body (413) must not be taken for the next request on the connection.
  if (status === 413) headers.connection = 'close';
  res.writeHead(status, headers);
  res.end(text, () => {
    if (status === 413) res.socket?.destroy();
  });
}

/** The gRPC status code anywhere in an error's cause chain. */
function grpcCode(err: unknown): number | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'number') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

function rootText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW */
const TASK_QUEUE_TYPE_WORKFLOW = 1;
const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_UNAVAILABLE = 14;

export async function startRelay(options: RelayOptions): Promise<Relay> {
  const { client, taskQueue, config, webhookSecret } = options;
  const host = options.host ?? '127.0.0.1';
  const secretProblem = webhookSecretProblem({ secret: webhookSecret, host, realJira: options.realJira ?? false });
  if (secretProblem) throw new Error(secretProblem);
  const log = options.log ?? ((line: string) => process.stderr.write(`[relay] ${line}\n`));
  const recent = new RecentIds(options.rememberDeliveries ?? 10_000);
  const timeoutMs = options.temporalTimeoutMs ?? 10_000;
  let warnedUnauthenticated = false;
  let countDelivery: (kind: string, outcome: string) => void = () => undefined;
  const selfAccountId = selfAccountIdSource(config, options.whoAmI);

  const withTemporal = <R>(fn: () => Promise<R>): Promise<R> => client.withDeadline(Date.now() + timeoutMs, fn);

  /** signalWithStart with REJECT_DUPLICATE: a late event for a closed ticket must not start a new run. */
  async function deliver(d: Delivery): Promise<'signalled' | 'closed'> {
    const input: TicketWorkflowInput = d.kind === 'created' ? { key: d.ticket, created: d.event } : { key: d.ticket };
    const start = {
      workflowId: ticketWorkflowId(d.ticket),
      taskQueue,
      args: [input] as [TicketWorkflowInput],
      workflowIdReusePolicy: 'REJECT_DUPLICATE' as const,
      typedSearchAttributes: [{ key: ticketKeyAttribute, value: d.ticket }],
      // The Web UI's summary and details of the run (metadata only; ignored when the run exists).
      ...ticketRunMetadata(
        d.ticket,
        d.kind === 'created' ? d.event : undefined,
        config.calendar.timeZone,
        `a ${d.kind} event`,
      ),
    };
    // Each kind of event has its own signal; the payload types match by construction of Delivery.
    const signal = SIGNALS[d.kind] as SignalDefinition<[Delivery['event']]>;
    try {
      await withTemporal(() =>
        client.workflow.signalWithStart<typeof ticketWorkflow, [Delivery['event']]>(TICKET_WORKFLOW_TYPE, {
          ...start,
          signal,
          signalArgs: [d.event],
        }),
      );
      countDelivery(d.kind, 'signalled');
      return 'signalled';
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) {
        countDelivery(d.kind, 'closed');
        return 'closed';
      }
      throw err;
    }
  }

  async function handleWebhook(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // The signature covers the exact bytes Jira sent: read them before any parsing.
    const raw = await readBody(req);
    if (webhookSecret) {
      const refusal = checkWebhookAuth(req.headers, raw, webhookSecret);
      if (refusal) {
        log(`refused a webhook: ${refusal}`);
        return send(res, 401, { error: refusal });
      }
    } else if (!warnedUnauthenticated) {
      warnedUnauthenticated = true;
      log('WEBHOOK_SECRET is not set: webhooks are accepted without authentication');
    }

    const deliveryHeader = req.headers[DELIVERY_HEADER];
    const deliveryId = Array.isArray(deliveryHeader) ? deliveryHeader[0] : deliveryHeader;
    if (deliveryId && deliveryId.length > LIMITS.deliveryIdChars) {
      return send(res, 400, { error: `${DELIVERY_HEADER} longer than ${LIMITS.deliveryIdChars} characters` });
    }
    if (deliveryId && recent.has(deliveryId)) return send(res, 200, { duplicate: true });

    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch (err) {
      return send(res, 400, { error: `body is not JSON: ${(err as Error).message}` });
    }
    const outOfBounds = jsonBoundsProblem(body);
    if (outOfBounds) return send(res, 400, { error: `payload out of bounds: ${outOfBounds}` });
    let parsed;
    try {
      parsed = parseWebhook(body);
    } catch (err) {
      if (err instanceof PayloadError) return send(res, 400, { error: err.message, issues: err.issues });
      throw err;
    }
    let identity: Identity = { selfAccountId: null };
    // A new SS ticket needs no identity: its creation never waits on Jira's "myself".
    const creation =
      parsed.kind === 'issue' &&
      parsed.event.webhookEvent === 'jira:issue_created' &&
      parsed.event.issue.fields.project.key === config.jira.supportProject;
    if (parsed.kind !== 'other' && !creation) {
      try {
        identity = { selfAccountId: await selfAccountId() };
      } catch (err) {
        // Not 2xx: Jira retries, and nothing is taken for a customer's words in the meantime.
        const why = `cannot learn deskflow's own Jira account id (GET /rest/api/3/myself; or set jira.identity.botAccountId): ${rootText(err)}`;
        log(why);
        return send(res, 503, { error: why });
      }
    }
    const mapping = mapWebhook(parsed, config, identity);

    if (mapping.action === 'reject') return send(res, 400, { error: `invalid Jira webhook payload: ${mapping.error}` });
    if (mapping.action === 'ignore') {
      if (deliveryId) recent.add(deliveryId);
      return send(res, mapping.status, { ignored: mapping.reason });
    }

    const badKey = mapping.deliveries.find((d) => !isIssueKey(d.ticket));
    if (badKey) return send(res, 400, { error: `"${badKey.ticket.slice(0, 60)}" is not an issue key` });

    const signalled: string[] = [];
    const closed: string[] = [];
    for (const d of mapping.deliveries) {
      const outcome = await deliver(d);
      (outcome === 'signalled' ? signalled : closed).push(ticketWorkflowId(d.ticket));
    }
    if (deliveryId) recent.add(deliveryId);
    if (signalled.length === 0) return send(res, 200, { ignored: 'ticket already closed', workflowIds: closed });
    return send(res, 200, { signalled, ...(closed.length ? { closed } : {}) });
  }

  /**
   * 200 only while Temporal answers and (unless turned off) a worker polls the ticket task queue;
   * 503 otherwise, so a container health check and a load balancer see an outage.
   */
  async function handleHealth(res: ServerResponse): Promise<void> {
    const deadline = () => Date.now() + Math.min(3000, timeoutMs);
    try {
      await client.withDeadline(deadline(), () => client.workflowService.getSystemInfo({}));
    } catch (err) {
      return send(res, 503, { status: 'unavailable', temporal: 'unreachable', error: (err as Error).message });
    }
    if (options.healthNeedsWorker === false) return send(res, 200, { status: 'ok', temporal: 'reachable' });
    let pollers;
    try {
      const answer = await client.withDeadline(deadline(), () =>
        client.workflowService.describeTaskQueue({
          namespace: client.options.namespace,
          taskQueue: { name: taskQueue },
          taskQueueType: TASK_QUEUE_TYPE_WORKFLOW,
        }),
      );
      pollers = answer.pollers ?? [];
    } catch (err) {
      return send(res, 503, { status: 'unavailable', temporal: 'reachable', worker: 'unknown', error: rootText(err) });
    }
    const now = Date.now();
    const fresh = pollers.filter((p) => {
      const seconds = Number(p.lastAccessTime?.seconds ?? 0);
      return now - seconds * 1000 < POLLER_FRESH_MS;
    });
    if (fresh.length === 0) {
      return send(res, 503, {
        status: 'unavailable',
        temporal: 'reachable',
        worker: `no worker polls task queue ${taskQueue}`,
      });
    }
    send(res, 200, { status: 'ok', temporal: 'reachable', worker: 'polling' });
  }

  // GET /metrics: requests and their latency by route, and what the webhooks led to (Prometheus).
  const metrics = new Registry();
  const requests = metrics.counter(
    'deskflow_relay_requests_total',
    'HTTP requests to the relay, by route, method and status',
  );
  const latency = metrics.histogram(
    'deskflow_relay_request_duration_seconds',
    'Time to answer a relay request (a webhook includes its delivery to Temporal), by route',
    [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  );
  const deliveries = metrics.counter(
    'deskflow_relay_deliveries_total',
    'Webhook events signalled to ticket workflows, by kind and outcome (signalled, closed)',
  );
  countDelivery = (kind, outcome) => deliveries.inc({ kind, outcome });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const route = [WEBHOOK_PATH, HEALTH_PATH, METRICS_PATH].includes(path) ? path : 'other';
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      requests.inc({ route, method: req.method ?? 'GET', status: String(res.statusCode) });
      latency.observe({ route }, Number(process.hrtime.bigint() - started) / 1e9);
    });
    if (path === METRICS_PATH && req.method === 'GET') {
      const text = metrics.render();
      res.writeHead(200, { 'content-type': PROMETHEUS_CONTENT_TYPE, 'content-length': Buffer.byteLength(text) });
      res.end(text);
      return;
    }
    try {
      if (path === WEBHOOK_PATH) {
        if (req.method !== 'POST') return send(res, 405, { error: `${WEBHOOK_PATH} takes POST` });
        return await handleWebhook(req, res);
      }
      if (path === HEALTH_PATH) {
        if (req.method !== 'GET') return send(res, 405, { error: `${HEALTH_PATH} takes GET` });
        return await handleHealth(res);
      }
      return send(res, 404, { error: `no route for ${req.method} ${path}` });
    } catch (err) {
      if (err instanceof HttpError) return send(res, err.status, { error: err.message });
      const code = grpcCode(err);
      const unreachable = code === GRPC_UNAVAILABLE || code === GRPC_DEADLINE_EXCEEDED;
      log(`could not deliver a webhook to Temporal: ${(err as Error).message}`);
      // Not 2xx either way: Jira keeps the event and retries it.
      return send(res, unreachable ? 503 : 500, {
        error: `${unreachable ? 'Temporal is unreachable' : 'delivery failed'}: ${(err as Error).message}`,
      });
    }
  }

  const server = createServer((req, res) => {
    void handle(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // Learn deskflow's own account now where Jira answers (else on the first event that needs it).
  void Promise.resolve()
    .then(selfAccountId)
    .catch(() => undefined);
  const { port } = server.address() as AddressInfo;
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
