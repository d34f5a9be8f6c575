/** `deskflow needs-input`: support needs the customer's input (S-16): deskflow posts the question, tries again after 1 business day, and closes when the attempts go unanswered. */
import { needsInputUpdate } from '../../../workflows/messages';
import { optionText, type CommandContext } from '../context';
import { runTicketUpdate, withBy } from '../ticket';

export function run(ctx: CommandContext): Promise<number> {
  return runTicketUpdate(
    ctx,
    needsInputUpdate,
    withBy(ctx, {
      question: optionText(ctx, 'question') ?? '',
      again: ctx.options.again === true || undefined,
    }),
  );
}
