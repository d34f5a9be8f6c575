/**
 * `deskflow classify-text --jsonl FILE`: runs the S-03 classifier on lines `{id, summary,
 * description, reporter}` and prints one JSON line per input `{id, route, requestType,
 * confidence, reasons}`. Local only: no Temporal server is needed.
 */
import { EXIT_FAILED, EXIT_OK, optionText, type CommandContext } from '../context';
import { rootMessage } from '../ticket';

export async function run(ctx: CommandContext): Promise<number> {
  const file = optionText(ctx, 'jsonl') ?? '';
  let lines: Iterable<string> | AsyncIterable<string>;
  try {
    // Loaded on demand: the agent commands should not pay for the classifier's rules.
    const { classifyTextCommand } = await import('../../../classification/classify-text');
    lines = await classifyTextCommand(file, ctx.config);
    for await (const line of lines) ctx.out(line);
  } catch (err) {
    ctx.err(`deskflow classify-text: ${rootMessage(err)}`);
    return EXIT_FAILED;
  }
  return EXIT_OK;
}
