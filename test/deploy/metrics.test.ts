/**
 * The worker's Prometheus endpoint (DESKFLOW_METRICS_ADDRESS) and the relay's /metrics, scraped after two
 * example scenarios ran through the real runner in a process of their own (fixtures/metrics-run.ts), and
 * the "Support desk" Grafana dashboard checked against the metric names they serve (issue 13).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { formatLog } from '../../src/shared/logging';
import { Registry } from '../../src/shared/prometheus';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The Prometheus text format: `# TYPE name kind` lines and `name{labels} value` samples. */
function parseExposition(text: string): { types: Map<string, string>; samples: Sample[] } {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) types.set(type[1] as string, type[2] as string);
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g))
      labels[pair[1] as string] = pair[2] as string;
    samples.push({ name: m[1] as string, labels, value: Number(m[3]) });
  }
  return { types, samples };
}

/** Metric names a PromQL expression reads (functions, keywords, labels and durations left out). */
function metricNames(expr: string): string[] {
  const withoutLabels = expr.replace(/\{[^}]*\}/g, '').replace(/\[[^\]]*\]/g, '');
  const withoutGroupings = withoutLabels.replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '');
  const words = withoutGroupings.match(/[a-zA-Z_:][\w:]*/g) ?? [];
  const FUNCTIONS = new Set(['sum', 'max', 'min', 'avg', 'count', 'rate', 'increase', 'histogram_quantile', 'irate']);
  return words.filter((w) => !FUNCTIONS.has(w));
}

const root = fileURLToPath(new URL('../../', import.meta.url));
let worker: ReturnType<typeof parseExposition>;
let relay: ReturnType<typeof parseExposition>;

beforeAll(() => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'test/deploy/fixtures/metrics-run.ts'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 300_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`the metrics run failed (${run.status ?? run.signal}): ${run.stderr}`);
  const out = JSON.parse(run.stdout) as { failures: string[]; worker: string; relay: string };
  expect(out.failures).toEqual([]);
  worker = parseExposition(out.worker);
  relay = parseExposition(out.relay);
}, 320_000);

const served = () => [...worker.types.keys(), ...relay.types.keys()];
const sampleOf = (name: string, labels: Record<string, string> = {}) =>
  worker.samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));

test("the worker serves the SDK runtime's metrics and deskflow's, with what the scenarios did", () => {
  expect(worker.types.get('temporal_workflow_completed')).toBe('counter');
  expect(worker.types.get('temporal_activity_execution_latency')).toBe('histogram');
  expect(worker.types.get('deskflow_first_response_seconds')).toBe('histogram');
  // jira-outage-sla-warning: a warning, then the breach; needs-input-two-attempts: one S-16 reminder, closed by S-16.
  expect(sampleOf('deskflow_sla_warnings_total')?.value).toBe(1);
  expect(sampleOf('deskflow_sla_breaches_total')?.value).toBe(1);
  expect(sampleOf('deskflow_reminders_total', { step: 'S-16' })?.value).toBe(1);
  expect(sampleOf('deskflow_closes_total', { rule: 'S-16', workflowType: 'ticketWorkflow' })?.value).toBe(1);
  expect(sampleOf('deskflow_first_response_seconds_count')?.value).toBe(2);
  // Counted in visibility (nothing open on the dev server it counted on).
  expect(sampleOf('deskflow_tickets', { stage: 'with-support' })?.value).toBe(0);
  expect(sampleOf('deskflow_approvals_waiting')?.value).toBe(0);
  expect(sampleOf('deskflow_tickets_sla_breached')?.value).toBe(0);
});

test('the relay serves its request counts and latencies by route', () => {
  expect(relay.types.get('deskflow_relay_requests_total')).toBe('counter');
  expect(relay.types.get('deskflow_relay_request_duration_seconds')).toBe('histogram');
  expect(relay.types.get('deskflow_relay_deliveries_total')).toBe('counter');
  const requests = relay.samples.filter((s) => s.name === 'deskflow_relay_requests_total');
  expect(requests).toContainEqual({
    name: 'deskflow_relay_requests_total',
    labels: { route: '/webhooks/jira', method: 'GET', status: '405' },
    value: 1,
  });
  expect(relay.samples).toContainEqual(
    expect.objectContaining({ name: 'deskflow_relay_request_duration_seconds_count', labels: { route: '/healthz' } }),
  );
});

test('every query of the "Support desk" dashboard reads metrics the endpoints serve', () => {
  const dashboard = JSON.parse(readFileSync(`${root}deploy/grafana/dashboards/support-desk.json`, 'utf8')) as {
    panels: { title: string; targets: { expr: string }[] }[];
  };
  const names = new Set(served());
  const used = new Set<string>();
  for (const panel of dashboard.panels) {
    for (const { expr } of panel.targets) {
      for (const name of metricNames(expr)) {
        const base = name.replace(/_(bucket|sum|count)$/, '');
        used.add(base);
        expect([panel.title, names.has(base) ? base : name]).toEqual([panel.title, base]);
        if (name !== base) expect(worker.types.get(base) ?? relay.types.get(base)).toBe('histogram');
      }
    }
  }
  // Each of deskflow's own metrics is on the dashboard.
  for (const name of served().filter((n) => n.startsWith('deskflow_'))) expect([...used]).toContain(name);
});

test('the relay registry renders the text format; log lines are JSON in production, readable on a terminal', () => {
  const r = new Registry();
  r.counter('x_total', 'x').inc({ a: 'q"1' });
  expect(r.render()).toBe('# HELP x_total x\n# TYPE x_total counter\nx_total{a="q\\"1"} 1\n');
  const record = {
    level: 'INFO',
    component: 'worker',
    message: 'Replied to the customer on SS-3',
    meta: { ticketKey: 'SS-3', step: 'S-10', workflowId: 'ticket-SS-3', runId: 'r1', sdkComponent: 'workflow' },
    time: new Date('2026-12-01T10:00:00Z'),
  };
  expect(JSON.parse(formatLog('json', record))).toEqual({
    time: '2026-12-01T10:00:00.000Z',
    level: 'info',
    component: 'worker',
    ticketKey: 'SS-3',
    step: 'S-10',
    workflowId: 'ticket-SS-3',
    runId: 'r1',
    message: 'Replied to the customer on SS-3',
  });
  expect(formatLog('text', record)).toBe('[worker] INFO SS-3 S-10 Replied to the customer on SS-3');
});
