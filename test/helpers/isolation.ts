/**
 * Test isolation on a shared time-skipping server (issue 8).
 *
 * The Java test server skips time only while no workflow task is outstanding. A workflow a test left
 * running on a task queue nobody polls any more gets a task as soon as one of its timers fires, and from
 * then on every `env.sleep` of every later test runs in real time. So no workflow may outlive its test:
 * the janitor records every workflow the test client starts (start, signalWithStart, update-with-start)
 * and terminates those still running after each test. And every test starts on a quiet reference day, so
 * its business days do not depend on the day the suite runs.
 */
import { WorkflowNotFoundError, type Client, type WorkflowClientInterceptor } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { CalendarSettings } from '../../src/config/schema';
import { defaultConfig } from '../../src/config/defaults';
import { quietReference } from '../../src/scenario/reference-time';

export class WorkflowJanitor {
  private readonly started = new Set<string>();

  /** Client options for `createTimeSkippingEnv({ client: janitor.clientOptions })`. */
  readonly clientOptions: { interceptors: { workflow: WorkflowClientInterceptor[] } } = {
    interceptors: { workflow: [this.recorder()] },
  };

  /** Records a workflow started by other means (another client, a worker's child). */
  track(workflowId: string): void {
    this.started.add(workflowId);
  }

  /** Terminates every recorded workflow that is still running; returns their ids. */
  async endAll(client: Client): Promise<string[]> {
    const ended: string[] = [];
    for (const id of this.started) {
      const handle = client.workflow.getHandle(id);
      try {
        if ((await handle.describe()).status.name !== 'RUNNING') continue;
        await handle.terminate('the test that started it has ended');
        ended.push(id);
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
      }
    }
    this.started.clear();
    return ended;
  }

  private recorder(): WorkflowClientInterceptor {
    const record = (id: string) => this.started.add(id);
    return {
      start: (input, next) => (record(input.options.workflowId), next(input)),
      startWithDetails: (input, next) => (record(input.options.workflowId), next(input)),
      signalWithStart: (input, next) => (record(input.options.workflowId), next(input)),
      startUpdateWithStart: (input, next) => (record(input.workflowStartOptions.workflowId), next(input)),
    };
  }
}

/**
 * Skips the server's clock to the next quiet reference (a Monday 09:00 in the support time zone that
 * starts three weeks without holidays or DST changes) and returns it.
 */
export async function moveToQuietReference(
  env: TestWorkflowEnvironment,
  calendar: CalendarSettings = defaultConfig.calendar,
): Promise<Date> {
  const now = await env.currentTimeMs();
  const reference = quietReference(new Date(now), calendar);
  await env.sleep(reference.getTime() - now);
  return reference;
}
