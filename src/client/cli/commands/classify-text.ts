/**
 * `deskflow classify-text --jsonl FILE`: runs the S-03 classifier on lines `{id, summary,
 * description, reporter}` and prints one JSON line per input `{id, route, requestType,
 * confidence, reasons}`. Local only: no Temporal server is needed.
 */
import { EXIT_FAILED, EXIT_OK, optionText, type CommandContext } from '../context';
import { rootMessage } from '../ticket';

export async function run(ctx: CommandContext): Promise<number> {
  const file = optionText(ctx, 'jsonl') ?? '';
  try {
    // Loaded on demand: the agent commands should not pay for the classifier's rules.
    const { classifyTextCommand } = await import('../../../classification/classify-text');
    for (const line of classifyTextCommand(file, ctx.config)) ctx.out(line);
  } catch (err) {
    ctx.err(`deskflow classify-text: ${rootMessage(err)}`);
    return EXIT_FAILED;
  }
  return EXIT_OK;
}
