/** Command-line parsing against the command table; every mistake is a UsageError naming it. */
import type { DeskflowConfig } from '../../config';
import type { CommandSpec } from './commands';

export class UsageError extends Error {
  constructor(
    message: string,
    /** The command the mistake belongs to, when known (its usage and example are shown). */
    readonly spec?: CommandSpec,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface ParsedCommand {
  args: Record<string, string>;
  options: Record<string, string | true | undefined>;
  help: boolean;
}

/**
 * `--name value`, `--name=value` and flags; `--` ends the options. Values are checked with the
 * table's `check` functions (ticket keys, routes, stages, e-mails) before anything runs.
 */
export function parseCommandLine(spec: CommandSpec, argv: readonly string[], config: DeskflowConfig): ParsedCommand {
  const positionals: string[] = [];
  const options: Record<string, string | true | undefined> = {};
  let help = false;
  let onlyPositionals = false;
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] ?? '';
    if (onlyPositionals || !token.startsWith('-') || token === '-') {
      positionals.push(token);
      continue;
    }
    if (token === '--') {
      onlyPositionals = true;
      continue;
    }
    if (token === '-h' || token === '--help') {
      help = true;
      continue;
    }
    if (!token.startsWith('--')) throw new UsageError(`unknown option ${token}`, spec);
    const eq = token.indexOf('=');
    const name = token.slice(2, eq === -1 ? undefined : eq);
    const option = spec.options.find((o) => o.name === name);
    if (!option) throw new UsageError(`unknown option --${name}`, spec);
    if (options[name] !== undefined) throw new UsageError(`--${name} given twice`, spec);
    if (!option.value) {
      if (eq !== -1) throw new UsageError(`--${name} takes no value`, spec);
      options[name] = true;
      continue;
    }
    let value: string | undefined;
    if (eq !== -1) value = token.slice(eq + 1);
    else {
      value = argv[i + 1];
      if (value === undefined || (value.startsWith('--') && value.length > 2)) {
        throw new UsageError(`--${name} needs a value (${option.value})`, spec);
      }
      i++;
    }
    if (value.trim() === '') throw new UsageError(`--${name} needs a non-empty value (${option.value})`, spec);
    const problem = option.check?.(value, config);
    if (problem) throw new UsageError(`--${name}: ${problem}`, spec);
    options[name] = value;
  }
  if (help) return { args: {}, options, help };

  const args: Record<string, string> = {};
  spec.arguments.forEach((a, index) => {
    const given = positionals[index];
    if (given === undefined) {
      if (!a.optional) throw new UsageError(`missing <${a.name}>`, spec);
      return;
    }
    const value = a.normalize ? a.normalize(given) : given;
    const problem = a.check?.(value, config);
    if (problem) throw new UsageError(problem, spec);
    args[a.name] = value;
  });
  if (positionals.length > spec.arguments.length) {
    throw new UsageError(`unexpected argument "${positionals[spec.arguments.length]}"`, spec);
  }
  for (const o of spec.options) {
    if (o.required && options[o.name] === undefined)
      throw new UsageError(`missing --${o.name} ${o.value ?? ''}`.trim(), spec);
  }
  return { args, options, help };
}
