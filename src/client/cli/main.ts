/**
 * The `deskflow` CLI for support agents (bin/deskflow.js runs `runCli`). The scenario runner calls
 * `runCli` too, with its own client, configuration and clock, so agents' commands are tested
 * through the very code agents run.
 */
import type { Client } from '@temporalio/client';
import { loadConfig, loadEnv, type DeskflowConfig } from '../../config';
import { actorRefusal } from './actors';
import { COMMANDS, exampleLine, findCommand, usageLine } from './commands';
import { overview, run as help } from './commands/help';
import { EXIT_FAILED, EXIT_USAGE, type CommandContext } from './context';
import { parseCommandLine, UsageError } from './parse';

export interface CliDeps {
  /** Use this client instead of connecting (it is left open). */
  client?: Client;
  config?: DeskflowConfig;
  /** Called once per output line, without the newline (default: process.stdout). */
  stdout?: (line: string) => void;
  stderr?: (line: string) => void;
  /** Environment for the connection, config file and $DESKFLOW_AGENT (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** The clock for `list --sla-at-risk` (the scenario runner passes virtual time). */
  now?: () => Date;
  /**
   * Ticket keys `list` may fall back to when the server has no visibility store to list workflows
   * (Temporal's time-skipping test server, used by the scenario runner).
   */
  knownTickets?: () => string[];
}

let temporalLoaded = false;

/**
 * True once this process loaded the Temporal client to run a command (bin/deskflow.js then keeps the
 * compiled code of those modules in its code cache).
 */
export function temporalClientLoaded(): boolean {
  return temporalLoaded;
}

/** Runs one command line (the words after `deskflow`) and returns the exit code. */
export async function runCli(argv: string[], deps: CliDeps = {}): Promise<number> {
  if (!deps.stdout) quietOnClosedPipe();
  const out = deps.stdout ?? ((line: string) => process.stdout.write(`${line}\n`));
  const err = deps.stderr ?? ((line: string) => process.stderr.write(`${line}\n`));
  const processEnv = deps.env ?? process.env;

  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    for (const line of overview()) (name === undefined ? err : out)(line);
    return name === undefined ? EXIT_USAGE : 0;
  }
  const spec = findCommand(name);
  if (!spec) {
    err(`deskflow: unknown command "${name}"; one of: ${COMMANDS.map((c) => c.name).join(', ')}`);
    err('run `deskflow help` for the list');
    return EXIT_USAGE;
  }

  let env;
  let config: DeskflowConfig;
  try {
    env = loadEnv(processEnv);
    config = deps.config ?? loadConfig({ file: env.DESKFLOW_CONFIG });
  } catch (e) {
    err(`deskflow: ${(e as Error).message}`);
    return EXIT_FAILED;
  }

  let parsed;
  try {
    parsed = parseCommandLine(spec, rest, config);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    err(`deskflow ${name}: ${e.message}`);
    err(`usage: ${usageLine(spec)}`);
    err(`example: ${exampleLine(spec, config)}`);
    return EXIT_USAGE;
  }

  let client = deps.client;
  let ownClient: Client | undefined;
  const by = typeof parsed.options.by === 'string' ? parsed.options.by : processEnv.DESKFLOW_AGENT || undefined;
  if (spec.actor && !parsed.help) {
    if (!by) {
      err(`deskflow ${name}: who is acting? give --by EMAIL or set DESKFLOW_AGENT (a configured staff member)`);
      err(`usage: ${usageLine(spec)}`);
      return EXIT_USAGE;
    }
    const option = (key: string) => (typeof parsed.options[key] === 'string' ? parsed.options[key] : undefined);
    const refusal = actorRefusal(spec.actor, by, config, { onBehalfOf: option('for'), note: option('note') });
    if (refusal) {
      err(`deskflow ${name}: refused: ${refusal}; nothing changed`);
      return EXIT_FAILED;
    }
  }
  const ctx: CommandContext = {
    args: parsed.args,
    options: parsed.options,
    json: parsed.options.json === true,
    by,
    config,
    client: async () => {
      if (!client) {
        // Loaded on first use: help and usage errors answer without loading the Temporal client.
        const { connectClient } = await import('../connection');
        temporalLoaded = true;
        client = ownClient = await connectClient(processEnv);
      }
      return client;
    },
    now: deps.now ?? (() => new Date()),
    // As ticketTaskQueue (../connection), without loading the Temporal client for commands that need none.
    taskQueue: env.TEMPORAL_TASK_QUEUE ?? config.worker.taskQueue,
    tty: !deps.stderr && Boolean(process.stderr.isTTY),
    knownTickets: deps.knownTickets,
    out,
    err,
  };
  try {
    if (parsed.help) return await help({ ...ctx, args: { command: spec.name } });
    return await spec.run(ctx);
  } catch (e) {
    err(`deskflow ${name}: ${(e as Error).message}`);
    return EXIT_FAILED;
  } finally {
    await ownClient?.connection.close();
  }
}

let pipeGuarded = false;

/**
 * `deskflow status SS-12 | head`: when the reader closes the pipe, stop quietly (exit 0) instead of
 * dying with an EPIPE stack trace.
 */
function quietOnClosedPipe(): void {
  if (pipeGuarded) return;
  pipeGuarded = true;
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
}
