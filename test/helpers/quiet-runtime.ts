/**
 * Jest setup: the worker's logs at warning level (activity retries during simulated outages, Slack
 * users the sandbox does not know) are expected in these tests; only errors are printed.
 */
import { DefaultLogger, makeTelemetryFilterString, Runtime } from '@temporalio/worker';

try {
  Runtime.install({
    logger: new DefaultLogger('ERROR'),
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }), forward: {} } },
  });
} catch {
  // already installed in this process by an earlier test file: keep it
}
