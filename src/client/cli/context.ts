/** What a command handler receives: parsed arguments, configuration, output, and a lazy Temporal client. */
import type { Client } from '@temporalio/client';
import type { DeskflowConfig } from '../../config';

export interface CommandContext {
  /** Positional arguments by their name in the command table (already validated). */
  args: Record<string, string>;
  /** Options by name; flags are `true`. */
  options: Record<string, string | true | undefined>;
  /** `--json`: machine-readable output. */
  json: boolean;
  /** `--by`, else $DESKFLOW_AGENT: the agent the command is recorded for. */
  by: string | undefined;
  config: DeskflowConfig;
  /** Connects on first use, so commands that fail validation never contact a server. */
  client(): Promise<Client>;
  now(): Date;
  /** The ticket workflows' task queue (TEMPORAL_TASK_QUEUE, else the configuration's), for commands that start runs. */
  taskQueue?: string;
  /** stderr is a terminal (progress bars instead of progress lines). */
  tty?: boolean;
  /** Tickets to describe one by one when the server cannot list workflows (see CliDeps). */
  knownTickets?: () => string[];
  /** One line each, without the newline. */
  out(line: string): void;
  err(line: string): void;
}

export type CommandHandler = (ctx: CommandContext) => Promise<number>;

export const EXIT_OK = 0;
/** The command ran but was refused or failed (unknown ticket, wrong stage, Temporal error). */
export const EXIT_FAILED = 1;
/** The command line itself is wrong; nothing was sent anywhere. */
export const EXIT_USAGE = 2;

/** Option value as a string (the parser guarantees the type from the table). */
export function optionText(ctx: CommandContext, name: string): string | undefined {
  const v = ctx.options[name];
  return typeof v === 'string' ? v : undefined;
}
