/**
 * deskflow's log lines. In production (NODE_ENV=production, or DESKFLOW_LOG_FORMAT=json) one JSON object
 * per line, for a log collector: time, level, component, message, and the ticket fields when the line is
 * about a ticket (ticketKey, workflowId, runId, step). On a terminal (`npm start`, DESKFLOW_LOG_FORMAT=text)
 * one readable line: "[worker] INFO SS-12 S-15 Replied to the customer…".
 */
export type LogFormat = 'json' | 'text';
export type LogLevel = 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

const LEVELS: readonly LogLevel[] = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'];

export function logFormatFromEnv(env: NodeJS.ProcessEnv = process.env): LogFormat {
  const wanted = env.DESKFLOW_LOG_FORMAT?.toLowerCase();
  if (wanted === 'json' || wanted === 'text') return wanted;
  return env.NODE_ENV === 'production' ? 'json' : 'text';
}

/** DESKFLOW_LOG_LEVEL, else `fallback`. */
export function logLevelFromEnv(env: NodeJS.ProcessEnv, fallback: LogLevel): LogLevel {
  const wanted = env.DESKFLOW_LOG_LEVEL?.toUpperCase() as LogLevel | undefined;
  return wanted && LEVELS.includes(wanted) ? wanted : fallback;
}

/** Fields lifted from the SDK's log metadata (workflow logger) to the top level, renamed. */
const TICKET_FIELDS: Record<string, string> = {
  ticketKey: 'ticketKey',
  ticket: 'ticketKey',
  step: 'step',
  workflowId: 'workflowId',
  runId: 'runId',
  workflowType: 'workflowType',
  activityType: 'activityType',
};

export interface LogRecord {
  level: string;
  component: string;
  message: string;
  meta?: Record<string, unknown>;
  time?: Date;
}

/** The ticket key a workflow id names (`ticket-SS-12` → SS-12). */
function ticketOfWorkflowId(id: unknown): string | undefined {
  return typeof id === 'string' && id.startsWith('ticket-') ? id.slice('ticket-'.length) : undefined;
}

export function formatLog(format: LogFormat, r: LogRecord): string {
  const meta = r.meta ?? {};
  const lifted: Record<string, unknown> = {};
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(meta)) {
    if (v === undefined) continue;
    const name = TICKET_FIELDS[k];
    if (name) lifted[name] = v;
    else if (k !== 'sdkComponent' && k !== 'namespace' && k !== 'taskQueue') rest[k] = v;
  }
  lifted.ticketKey ??= ticketOfWorkflowId(lifted.workflowId);
  if (format === 'json') {
    return JSON.stringify({
      time: (r.time ?? new Date()).toISOString(),
      level: r.level.toLowerCase(),
      component: r.component,
      ...lifted,
      message: r.message,
      ...rest,
    });
  }
  const where = [lifted.ticketKey, lifted.step].filter(Boolean).join(' ');
  const extra = Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : '';
  return `[${r.component}] ${r.level.toUpperCase()} ${where ? `${where} ` : ''}${r.message}${extra}`.slice(0, 2000);
}

/** A line writer for a component: `log('INFO', 'message', { ticketKey })`. */
export function componentLogger(
  component: string,
  write: (line: string) => void,
  format: LogFormat = logFormatFromEnv(),
): (level: LogLevel, message: string, meta?: Record<string, unknown>) => void {
  return (level, message, meta) => write(formatLog(format, { level, component, message, meta }));
}
