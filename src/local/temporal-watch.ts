/**
 * Loss of the Temporal connection, told once when it starts and once when it ends. The SDK's core
 * logs every retried long-poll (about two dozen lines every 10 s during an outage); those lines are
 * dropped here and this watcher speaks instead.
 */
import { DefaultLogger, makeTelemetryFilterString, Runtime, type LogEntry } from '@temporalio/worker';

/** Core's retry chatter: "gRPC call poll_workflow_task_queue retried 16 times". */
const RETRY_NOISE = /retried \d+ times/;

/**
 * Installs the worker runtime's logger: warnings and errors, one line each, prefixed, without the
 * retry chatter. Call once per process, before the first worker or native connection.
 */
export function installQuietRuntime(write: (line: string) => void, prefix = 'worker'): void {
  const logger = new DefaultLogger('WARN', (entry: LogEntry) => {
    if (RETRY_NOISE.test(entry.message)) return;
    const meta = entry.meta && Object.keys(entry.meta).length ? ` ${JSON.stringify(entry.meta)}` : '';
    write(`[${prefix}] ${entry.level} ${entry.message}${meta}`.slice(0, 2000));
  });
  try {
    Runtime.install({
      logger,
      telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} } },
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
