/**
 * The `deskflow` command table: every command's name, summary, arguments, options and an example.
 * Parsing, usage lines and `deskflow help` are all derived from it; each handler lives in its own
 * file under ./commands/.
 */
import type { DeskflowConfig } from '../../config';
import type { Stage } from '../../workflows/messages';
import type { ActorRule } from './actors';
import type { CommandHandler } from './context';
import { run as help } from './commands/help';

/**
 * A handler loaded on first use: `deskflow help` and usage errors never load the Temporal client,
 * and the bundled CLI (scripts/build-cli.mjs) keeps each handler in its own chunk.
 */
function lazy(load: () => Promise<{ run: CommandHandler }>): CommandHandler {
  return async (ctx) => (await load()).run(ctx);
}

const adopt = lazy(() => import('./commands/adopt'));
const approve = lazy(() => import('./commands/approve'));
const classify = lazy(() => import('./commands/classify'));
const classifyText = lazy(() => import('./commands/classify-text'));
const configComplete = lazy(() => import('./commands/config-complete'));
const confirm = lazy(() => import('./commands/confirm'));
const escalate = lazy(() => import('./commands/escalate'));
const escalateBug = lazy(() => import('./commands/escalate-bug'));
const leadContacted = lazy(() => import('./commands/lead-contacted'));
const list = lazy(() => import('./commands/list'));
const needsInput = lazy(() => import('./commands/needs-input'));
const resolve = lazy(() => import('./commands/resolve'));
const status = lazy(() => import('./commands/status'));

export interface ArgumentSpec {
  name: string;
  summary: string;
  optional?: boolean;
  /** Applied before `check` (e.g. ticket keys upper-cased). */
  normalize?: (value: string) => string;
  /** Returns why the value is wrong, or null. */
  check?: (value: string, config: DeskflowConfig) => string | null;
}

export interface OptionSpec {
  name: string;
  /** Placeholder of the option's value (e.g. TEXT); absent for a flag. */
  value?: string;
  required?: boolean;
  summary: string;
  check?: (value: string, config: DeskflowConfig) => string | null;
}

export interface CommandSpec {
  name: string;
  /** Other names that run the same command: the words ROUTING.md uses for the agent's decision (e.g. R-05 `user-error`, `fixed`; S-14 `confirmed`). */
  aliases?: readonly string[];
  summary: string;
  arguments: ArgumentSpec[];
  options: OptionSpec[];
  /** One example line; a function when it names configured people (it shows the desk's own). */
  example: string | ((config: DeskflowConfig) => string);
  /** Commands that change a ticket name who acts (`--by`), checked against the configuration. */
  actor?: ActorRule;
  run: CommandHandler;
}

/** Jira issue keys: project key, dash, number (e.g. SS-12). */
export const TICKET_KEY = /^[A-Z][A-Z0-9]+-\d+$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

const ticketArg: ArgumentSpec = {
  name: 'ticket',
  summary: 'the SS ticket key, e.g. SS-12 (ss-12 works too)',
  normalize: (v) => v.toUpperCase(),
  check: (v) => (TICKET_KEY.test(v) ? null : `"${v}" is not a ticket key (e.g. SS-12)`),
};

const checkEmail = (v: string): string | null => (EMAIL.test(v) ? null : `"${v}" is not an e-mail address`);

/** Every stage the workflow reports; the Record makes the compiler keep it complete. */
const STAGES: Record<Stage, true> = {
  starting: true,
  'awaiting-triage': true,
  'with-support': true,
  'awaiting-customer': true,
  'awaiting-confirmation': true,
  'awaiting-sales-contact': true,
  'awaiting-cs': true,
  'awaiting-bug-fix': true,
  'awaiting-training-booking': true,
  'onboarding-awaiting-form': true,
  'onboarding-awaiting-cs-ticket': true,
  'onboarding-awaiting-config': true,
  'onboarding-awaiting-approval': true,
  'onboarding-awaiting-go-live': true,
  'needs-supervisor': true,
  closed: true,
};
export const STAGE_NAMES = Object.keys(STAGES) as Stage[];

const checkRoute = (v: string, config: DeskflowConfig): string | null =>
  Object.hasOwn(config.routes, v) ? null : `unknown route "${v}"; one of: ${Object.keys(config.routes).join(', ')}`;
/** `list` shows running tickets: a closed ticket's workflow has ended, so `closed` is never listed. */
export const LISTABLE_STAGES = STAGE_NAMES.filter((s) => s !== 'closed');
const checkStage = (v: string): string | null => {
  if (v === 'closed')
    return 'closed tickets are not listed (list shows open tickets); see one with `deskflow status <ticket>`';
  return Object.hasOwn(STAGES, v) ? null : `unknown stage "${v}"; one of: ${LISTABLE_STAGES.join(', ')}`;
};

/** `--by` and `--json`: on every command that changes a ticket. */
const byOption: OptionSpec = {
  name: 'by',
  value: 'EMAIL',
  summary: 'who decides: a configured staff member (default: $DESKFLOW_AGENT; one of them is required)',
  check: checkEmail,
};
const againOption = (what: string): OptionSpec => ({
  name: 'again',
  summary: `${what} again although the customer was already asked and has not answered`,
});
export const jsonOption: OptionSpec = { name: 'json', summary: 'print JSON instead of text' };

const note = (summary: string, required = false): OptionSpec => ({ name: 'note', value: 'TEXT', required, summary });

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'resolve',
    aliases: ['user-error', 'fixed'],
    summary: 'resolved: post the note, ask the customer to confirm, close after 1 business day (S-15)',
    arguments: [ticketArg],
    options: [note('what was done, for the customer', true), byOption, againOption('ask to confirm'), jsonOption],
    example: 'deskflow resolve SS-12 --note "The PDF export works again after the fix"',
    actor: 'staff',
    run: resolve,
  },
  {
    name: 'needs-input',
    summary: 'ask the customer; close after the unanswered attempts (S-16)',
    arguments: [ticketArg],
    options: [
      { name: 'question', value: 'TEXT', required: true, summary: 'the question for the customer' },
      byOption,
      againOption('ask'),
      jsonOption,
    ],
    example: 'deskflow needs-input SS-12 --question "Which proposal shows the wrong total?"',
    actor: 'staff',
    run: needsInput,
  },
  {
    name: 'confirm',
    aliases: ['confirmed'],
    summary: 'the customer confirmed the resolution: close now (S-14)',
    arguments: [ticketArg],
    options: [note('how the customer confirmed'), byOption, jsonOption],
    example: 'deskflow confirm SS-12 --note "Confirmed on the phone"',
    actor: 'staff',
    run: confirm,
  },
  {
    name: 'lead-contacted',
    summary: 'the sales lead reached the prospect: note it and close (R-04)',
    arguments: [ticketArg],
    options: [note('what the sales lead did', true), byOption, jsonOption],
    example: 'deskflow lead-contacted SS-12 --note "Called the CEO, demo booked for Thursday"',
    actor: 'staff',
    run: leadContacted,
  },
  {
    name: 'escalate-bug',
    summary: 'file the bug in DEV with the steps to reproduce (R-05)',
    arguments: [ticketArg],
    options: [{ name: 'steps', value: 'TEXT', required: true, summary: 'steps to reproduce' }, byOption, jsonOption],
    example: 'deskflow escalate-bug SS-12 --steps "1. Open a proposal 2. Export PDF 3. Totals are blank"',
    actor: 'staff',
    run: escalateBug,
  },
  {
    name: 'classify',
    summary: "set the ticket's route (S-03), when deskflow was unsure or wrong",
    arguments: [ticketArg],
    options: [
      { name: 'route', value: 'ROUTE', required: true, summary: 'a route of the configuration', check: checkRoute },
      byOption,
      jsonOption,
    ],
    example: 'deskflow classify SS-12 --route tech.bug',
    actor: 'staff',
    run: classify,
  },
  {
    name: 'escalate',
    summary: 'escalate to a person: the Support Supervisor, or the account manager for an onboarding (E-16)',
    arguments: [ticketArg],
    options: [note('why'), byOption, jsonOption],
    example: 'deskflow escalate SS-12 --note "Partner is not ready to launch in Florida"',
    actor: 'staff',
    run: escalate,
  },
  {
    name: 'approve',
    summary: 'approve the onboarding go-live (E-13)',
    arguments: [ticketArg],
    options: [
      byOption,
      {
        name: 'for',
        value: 'EMAIL',
        summary: "a staff member recording the approver's approval (with --note saying how it was given)",
        check: checkEmail,
      },
      note('a note for the ticket'),
      jsonOption,
    ],
    example: (config) => `deskflow approve SS-12 --by ${config.roles.onboardingApprover} --note "Approved for go-live"`,
    actor: 'approver',
    run: approve,
  },
  {
    name: 'config-complete',
    summary: 'the onboarding configuration is done (E-10)',
    arguments: [ticketArg],
    options: [note('a note for the ticket'), byOption, jsonOption],
    example: 'deskflow config-complete SS-12',
    actor: 'staff',
    run: configComplete,
  },
  {
    name: 'status',
    summary: 'route and reasons, stage, what deskflow waits for and until when, timeline',
    arguments: [ticketArg],
    options: [jsonOption],
    example: 'deskflow status SS-12',
    run: status,
  },
  {
    name: 'list',
    summary: 'open tickets, filtered by route, stage or first-response SLA at risk',
    arguments: [],
    options: [
      { name: 'route', value: 'ROUTE', summary: 'only this route', check: checkRoute },
      { name: 'stage', value: 'STAGE', summary: 'only this stage (an open one, e.g. with-support)', check: checkStage },
      { name: 'sla-at-risk', summary: 'first response due within 30 minutes or overdue' },
      jsonOption,
    ],
    example: 'deskflow list --stage awaiting-triage',
    run: list,
  },
  {
    name: 'adopt',
    summary: 'switch deskflow on for tickets already in Jira: each is taken as it is (one key, or every --jql match)',
    arguments: [{ ...ticketArg, optional: true }],
    options: [
      { name: 'jql', value: 'JQL', summary: "the tickets to adopt, e.g. 'project = SS AND statusCategory != Done'" },
      byOption,
      jsonOption,
    ],
    example: "deskflow adopt --jql 'project = SS AND statusCategory != Done'",
    actor: 'staff',
    run: adopt,
  },
  {
    name: 'classify-text',
    summary: 'classify JSONL tickets {id, summary, description, reporter} locally (S-03); no server',
    arguments: [],
    options: [{ name: 'jsonl', value: 'FILE', required: true, summary: 'one JSON ticket per line' }],
    example: 'deskflow classify-text --jsonl tickets.jsonl',
    run: classifyText,
  },
  {
    name: 'help',
    summary: 'list the commands, or explain one',
    arguments: [{ name: 'command', summary: 'a command name', optional: true }],
    options: [],
    example: 'deskflow help resolve',
    run: help,
  },
];

/** Commands that need no Temporal server. */
export const LOCAL_COMMANDS = new Set(['classify-text', 'help']);

/** The command's example for this configuration. */
export function exampleLine(spec: CommandSpec, config: DeskflowConfig): string {
  return typeof spec.example === 'function' ? spec.example(config) : spec.example;
}

export function findCommand(name: string): CommandSpec | undefined {
  return COMMANDS.find((c) => c.name === name || c.aliases?.includes(name) === true);
}

/** e.g. "deskflow resolve <ticket> --note TEXT [--by EMAIL] [--json]" */
export function usageLine(spec: CommandSpec): string {
  const parts = [`deskflow ${spec.name}`];
  for (const a of spec.arguments) parts.push(a.optional ? `[<${a.name}>]` : `<${a.name}>`);
  for (const o of spec.options) {
    const text = o.value ? `--${o.name} ${o.value}` : `--${o.name}`;
    parts.push(o.required ? text : `[${text}]`);
  }
  return parts.join(' ');
}
