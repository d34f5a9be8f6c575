/**
 * deskflow's own metrics from workflow code, through the SDK's workflow `metricMeter`: they go to the
 * worker runtime's Prometheus exporter (DESKFLOW_METRICS_ADDRESS) tagged with namespace, task queue and
 * workflow type, and are not emitted again when a history replays. Metadata only: no command.
 *
 * Names (the Grafana dashboard in deploy/grafana and test/deploy/metrics.test.ts rely on them):
 *   deskflow_first_response_seconds   histogram  S-01: ticket created → first public reply by support
 *   deskflow_sla_warnings_total       counter    S-01 warnings sent before the breach
 *   deskflow_sla_breaches_total       counter    S-01 breaches (escalated to the Support Supervisor)
 *   deskflow_reminders_total{step}    counter    follow-ups due after a wait without an answer (S-13, S-16, R-04, R-22, E-12)
 *   deskflow_closes_total{rule}       counter    tickets closed, by the SOP rule that closed them (S-14, S-15, S-16, R-04, R-25, E-15, jira…)
 * The worker process adds the ticket gauges (src/workers/ticket-gauges.ts).
 */
import { metricMeter } from '@temporalio/workflow';
import type { Stage } from './messages';

export const WORKFLOW_METRICS = {
  firstResponse: 'deskflow_first_response_seconds',
  slaWarnings: 'deskflow_sla_warnings_total',
  slaBreaches: 'deskflow_sla_breaches_total',
  reminders: 'deskflow_reminders_total',
  closes: 'deskflow_closes_total',
} as const;

export function recordFirstResponse(seconds: number): void {
  metricMeter
    .createHistogram(
      WORKFLOW_METRICS.firstResponse,
      'float',
      's',
      'Time from ticket creation to the first public reply (S-01)',
    )
    .record(Math.max(0, seconds));
}

export function countSlaWarning(): void {
  metricMeter.createCounter(WORKFLOW_METRICS.slaWarnings, '1', 'First-response SLA warnings (S-01)').add(1);
}

export function countSlaBreach(): void {
  metricMeter.createCounter(WORKFLOW_METRICS.slaBreaches, '1', 'First-response SLA breaches (S-01)').add(1);
}

export function countClose(rule: string): void {
  metricMeter.createCounter(WORKFLOW_METRICS.closes, '1', 'Tickets closed, by SOP rule').add(1, { rule });
}

/** Stages whose wait ending without an answer makes the procedure remind someone, by step. */
const REMINDER_STEPS: Partial<Record<Stage, string>> = {
  'with-support': 'S-13',
  'awaiting-cs': 'S-13',
  'awaiting-bug-fix': 'S-13',
  'awaiting-customer': 'S-16',
  'awaiting-sales-contact': 'R-04',
  'awaiting-training-booking': 'R-22',
  'onboarding-awaiting-approval': 'E-12',
};

/** A wait timed out: counts a reminder when the stage's procedure reminds (not S-16's last attempt, which closes). */
export function countReminderAfterTimeout(stage: Stage, waitingFor: string): void {
  const step = REMINDER_STEPS[stage];
  if (!step) return;
  const attempt = /attempt (\d+) of (\d+)/.exec(waitingFor);
  if (step === 'S-16' && attempt && attempt[1] === attempt[2]) return;
  metricMeter
    .createCounter(WORKFLOW_METRICS.reminders, '1', 'Reminders and follow-ups due, by SOP step')
    .add(1, { step });
}
