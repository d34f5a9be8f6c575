/**
 * Gauges of the open tickets, counted in Temporal's visibility store every 30 s by the worker process and
 * served by its Prometheus exporter beside the SDK's metrics (DESKFLOW_METRICS_ADDRESS):
 *   deskflow_tickets{stage}          open tickets by stage
 *   deskflow_approvals_waiting       onboardings waiting for the approver (E-11..E-13)
 *   deskflow_tickets_sla_breached    open tickets whose first-response SLA was missed (SlaBreached)
 * Counted, not kept in memory: a restarted worker reports the same numbers at once. A server without a
 * visibility store (the time-skipping test server) leaves the gauges unset.
 */
import type { MetricMeter } from '@temporalio/common';
import { STAGE_NAMES } from '../client/cli/commands';
import { TICKET_WORKFLOW_TYPE } from '../client/connection';

export const TICKET_GAUGES = {
  tickets: 'deskflow_tickets',
  approvalsWaiting: 'deskflow_approvals_waiting',
  slaBreached: 'deskflow_tickets_sla_breached',
} as const;

const RUNNING = `WorkflowType = '${TICKET_WORKFLOW_TYPE}' AND ExecutionStatus = 'Running'`;

export interface TicketGauges {
  /** Counts once now (also what the timer does). */
  refresh(): Promise<void>;
  stop(): void;
}

export function startTicketGauges(options: {
  count: (query: string) => Promise<number>;
  meter: MetricMeter;
  intervalMs?: number;
  onError?: (err: unknown) => void;
}): TicketGauges {
  const { count, meter } = options;
  const tickets = meter.createGauge(TICKET_GAUGES.tickets, 'int', '1', 'Open tickets by stage');
  const approvals = meter.createGauge(
    TICKET_GAUGES.approvalsWaiting,
    'int',
    '1',
    'Onboardings waiting for the approver',
  );
  const breached = meter.createGauge(
    TICKET_GAUGES.slaBreached,
    'int',
    '1',
    'Open tickets whose first-response SLA was missed',
  );
  let failedBefore = false;
  const refresh = async () => {
    try {
      const stages = STAGE_NAMES.filter((s) => s !== 'closed');
      const counts = await Promise.all(stages.map((s) => count(`${RUNNING} AND TicketStage = '${s}'`)));
      stages.forEach((stage, i) => tickets.set(counts[i] ?? 0, { stage }));
      approvals.set(counts[stages.indexOf('onboarding-awaiting-approval')] ?? 0);
      breached.set(await count(`${RUNNING} AND SlaBreached = true`));
      failedBefore = false;
    } catch (err) {
      if (!failedBefore) options.onError?.(err); // once per outage, not every 30 s
      failedBefore = true;
    }
  };
  const timer = setInterval(() => void refresh(), options.intervalMs ?? 30_000);
  timer.unref();
  void refresh();
  return { refresh, stop: () => clearInterval(timer) };
}
