/** `deskflow help [command]`: the command list, or one command's usage, options and example. */
import { columns } from '../format';
import { COMMANDS, exampleLine, findCommand, usageLine } from '../commands';
import { EXIT_OK, EXIT_USAGE, type CommandContext } from '../context';

export function overview(): string[] {
  return [
    'usage: deskflow <command> [arguments] [options]',
    '',
    'commands:',
    ...columns(COMMANDS.map((c) => [`  ${[c.name, ...(c.aliases ?? [])].join(', ')}`, c.summary])),
    '',
    'Run `deskflow help <command>` for its options. Temporal: TEMPORAL_ADDRESS (default localhost:7233),',
    'TEMPORAL_NAMESPACE; configuration: DESKFLOW_CONFIG; agent: DESKFLOW_AGENT.',
  ];
}

export function run(ctx: CommandContext): Promise<number> {
  return Promise.resolve(show(ctx));
}

function show(ctx: CommandContext): number {
  const name = ctx.args.command;
  if (!name) {
    for (const line of overview()) ctx.out(line);
    return EXIT_OK;
  }
  const spec = findCommand(name);
  if (!spec) {
    ctx.err(`deskflow help: unknown command "${name}"`);
    for (const line of overview()) ctx.err(line);
    return EXIT_USAGE;
  }
  ctx.out(`usage: ${usageLine(spec)}`);
  ctx.out('');
  ctx.out(spec.summary);
  if (spec.aliases?.length) ctx.out(`also run as: ${spec.aliases.map((a) => `deskflow ${a}`).join(', ')}`);
  const rows = [
    ...spec.arguments.map((a) => [`  <${a.name}>`, a.summary]),
    ...spec.options.map((o) => [
      `  --${o.name}${o.value ? ` ${o.value}` : ''}`,
      o.required ? `${o.summary} (required)` : o.summary,
    ]),
  ];
  if (rows.length) {
    ctx.out('');
    for (const line of columns(rows)) ctx.out(line);
  }
  ctx.out('');
  ctx.out(`example: ${exampleLine(spec, ctx.config)}`);
  return EXIT_OK;
}
