/**
 * Shared set-up for the activity tests: one sandbox per test file over real HTTP, the activities pointed
 * at it exactly as `npm start` points them (activityDepsFromEnv with no credentials), and a runner that
 * executes an activity inside Temporal's MockActivityEnvironment (a real activity context).
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { ApplicationFailure, type Logger } from '@temporalio/common';
import { startSandbox, type Sandbox } from '../../src/sandbox/server';
import { defaultConfig } from '../../src/config/defaults';
import { loadEnv } from '../../src/config/env';
import { activityDepsFromEnv, type ActivityDeps } from '../../src/activities/clients';

export interface Harness {
  sandbox: Sandbox;
  deps: ActivityDeps;
  /** Runs one activity call in an activity context. */
  run<I, O>(fn: (input: I) => Promise<O>, input: I): Promise<O>;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const sandbox = await startSandbox({
    port: 0,
    internalDomains: defaultConfig.roles.internalDomains,
  });
  const deps = activityDepsFromEnv(defaultConfig, loadEnv({}), sandbox.url);
  return {
    sandbox,
    deps,
    run: (fn, input) => runActivity(fn, input),
    close: () => sandbox.close(),
  };
}

/** Runs one activity function in a fresh activity context, keeping its result type. */
export function runActivity<A extends unknown[], O>(fn: (...args: A) => Promise<O>, ...args: A): Promise<O> {
  return new MockActivityEnvironment(undefined, { logger: quiet }).run(fn, ...args) as Promise<O>;
}

/** Like runActivity, as a given attempt: `{ isLocal: true, attempt: 1 }` is a first try (local first). */
export function runAttempt<A extends unknown[], O>(
  info: { isLocal: boolean; attempt: number },
  fn: (...args: A) => Promise<O>,
  ...args: A
): Promise<O> {
  return new MockActivityEnvironment(info, { logger: quiet }).run(fn, ...args) as Promise<O>;
}

/** Failures are asserted, not printed. */
const quiet: Logger = {
  log() {},
  trace() {},
  debug() {},
  info() {},
  warn() {},
  error() {},
};

/** The ApplicationFailure an activity call rejects with (fails the test if it resolves or throws anything else). */
export async function failureOf(promise: Promise<unknown>): Promise<ApplicationFailure> {
  let caught: unknown;
  try {
    await promise;
  } catch (err) {
    caught = err;
  }
  if (caught === undefined) throw new Error('expected the activity to fail, but it succeeded');
  if (!(caught instanceof ApplicationFailure)) throw new Error(`expected an ApplicationFailure, got ${String(caught)}`);
  return caught;
}

/** nextRetryDelay as milliseconds (Temporal accepts a number of ms or an ms-formatted string). */
export function delayMs(failure: ApplicationFailure): number | undefined {
  const d = failure.nextRetryDelay;
  if (d === undefined || d === null) return undefined;
  if (typeof d === 'number') return d;
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m)?$/.exec(String(d));
  if (!m) return undefined;
  const n = Number(m[1]);
  return m[2] === 's' ? n * 1000 : m[2] === 'm' ? n * 60_000 : n;
}

/** Makes Jira accounts exist the way real staff accounts do: the sandbox creates a user on first sight of an e-mail. */
export async function ensureJiraUsers(sandbox: Sandbox, emails: string[]): Promise<void> {
  for (const email of emails) {
    const res = await fetch(`${sandbox.url}/rest/api/3/myself`, {
      headers: {
        Authorization: `Basic ${Buffer.from(`${email}:token`).toString('base64')}`,
        Accept: 'application/json',
      },
    });
    if (!res.ok) throw new Error(`sandbox did not accept ${email}: HTTP ${res.status}`);
  }
}
