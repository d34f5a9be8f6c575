/**
 * Loss of the Temporal connection, told once when it starts and once when it ends. The SDK's core
 * logs every retried long-poll (about two dozen lines every 10 s during an outage); those lines are
 * dropped here and this watcher speaks instead.
 */
import { DefaultLogger, makeTelemetryFilterString, Runtime, type LogEntry } from '@temporalio/worker';
import { formatLog, logFormatFromEnv, logLevelFromEnv, type LogFormat, type LogLevel } from '../shared/logging';

/** Core's retry chatter: "gRPC call poll_workflow_task_queue retried 16 times". */
const RETRY_NOISE = /retried \d+ times/;

export interface RuntimeOptions {
  /** host:port for the runtime's Prometheus exporter (DESKFLOW_METRICS_ADDRESS); none: no metrics. */
  metricsAddress?: string;
  /** json in production, text on a terminal (default from the environment, src/shared/logging.ts). */
  format?: LogFormat;
  /** Lowest level written (default WARN; DESKFLOW_LOG_LEVEL=INFO shows each ticket's timeline). */
  level?: LogLevel;
}

/** First-response times are minutes to hours: buckets in seconds from 1 minute to 1 day. */
export const FIRST_RESPONSE_BUCKETS = [60, 300, 600, 1800, 3600, 5400, 7200, 10800, 14400, 28800, 86400];

/**
 * Installs the worker runtime: its logger (one line each, prefixed, without the retry chatter; JSON in
 * production) and, with `metricsAddress`, its Prometheus exporter, which serves the SDK's own metrics and
 * deskflow's (src/workflows/metrics.ts, src/workers/ticket-gauges.ts) on http://ADDRESS/metrics.
 * Call once per process, before the first worker or native connection.
 */
export function installQuietRuntime(
  write: (line: string) => void,
  prefix = 'worker',
  options: RuntimeOptions = {},
): void {
  const format = options.format ?? logFormatFromEnv();
  const level = options.level ?? logLevelFromEnv(process.env, 'WARN');
  const logger = new DefaultLogger(level, (entry: LogEntry) => {
    if (RETRY_NOISE.test(entry.message)) return;
    write(
      formatLog(format, {
        level: entry.level,
        component: prefix,
        message: entry.message,
        meta: entry.meta as Record<string, unknown> | undefined,
        time: new Date(Number(entry.timestampNanos / 1_000_000n)),
      }),
    );
  });
  try {
    Runtime.install({
      logger,
      telemetryOptions: {
        logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} },
        ...(options.metricsAddress
          ? {
              metrics: {
                prometheus: {
                  bindAddress: options.metricsAddress,
                  countersTotalSuffix: false,
                  histogramBucketOverrides: { deskflow_first_response_seconds: FIRST_RESPONSE_BUCKETS },
                },
              },
            }
          : {}),
      },
    });
  } catch {
    // Already installed in this process (tests): keep that one.
  }
}

export interface TemporalWatch {
  /** True while the last probe failed. */
  readonly down: boolean;
  stop(): void;
}

/**
 * Probes Temporal every `intervalMs` (default 3 s) and reports a change of state in one line each:
 * unreachable (with the reason) and reachable again (with how long it was down).
 */
export function watchTemporal(options: {
  address: string;
  probe: () => Promise<unknown>;
  report: (line: string) => void;
  intervalMs?: number;
}): TemporalWatch {
  let downSince: number | null = null;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const tick = async () => {
    try {
      await options.probe();
      if (downSince !== null) {
        const seconds = Math.round((Date.now() - downSince) / 1000);
        options.report(`Temporal at ${options.address} is reachable again (it was down for about ${seconds} s)`);
        downSince = null;
      }
    } catch (err) {
      if (downSince === null) {
        downSince = Date.now();
        const reason = (err as Error).message.split('\n')[0];
        options.report(
          `Temporal at ${options.address} is unreachable (${reason}); tickets wait until it is back. /healthz answers 503 meanwhile`,
        );
      }
    }
    if (!stopped) schedule();
  };
  const schedule = () => {
    timer = setTimeout(() => void tick(), options.intervalMs ?? 3_000);
    timer.unref();
  };
  schedule();
  return {
    get down() {
      return downSince !== null;
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
