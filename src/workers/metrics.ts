/**
 * The worker's metrics endpoint: DESKFLOW_METRICS_ADDRESS (host:port, e.g. 0.0.0.0:9464) turns on the
 * runtime's Prometheus exporter (installQuietRuntime) and the ticket gauges counted from visibility.
 */
import { Runtime, type NativeConnection } from '@temporalio/worker';
import { startTicketGauges, type TicketGauges } from './ticket-gauges';

export function metricsAddressFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  const value = env.DESKFLOW_METRICS_ADDRESS?.trim();
  if (!value) return undefined;
  if (!/^[^\s:]*:\d{1,5}$/.test(value)) {
    throw new Error(`invalid DESKFLOW_METRICS_ADDRESS "${value}": host:port expected, e.g. 0.0.0.0:9464`);
  }
  return value.startsWith(':') ? `0.0.0.0${value}` : value;
}

/** Starts the ticket gauges on the installed runtime's meter, counting through the worker's connection. */
export function startWorkerTicketGauges(
  connection: NativeConnection,
  namespace: string,
  onError: (err: unknown) => void,
): TicketGauges {
  return startTicketGauges({
    meter: Runtime.instance().metricMeter,
    count: async (query) => {
      const res = await connection.workflowService.countWorkflowExecutions({ namespace, query });
      return Number(res.count ?? 0);
    },
    onError,
  });
}
