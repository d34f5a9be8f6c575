/** `deskflow resolve`: the agent believes the ticket is resolved (S-15): deskflow posts the note, asks the customer to confirm, and closes after 1 business day without an answer. */
import { resolveUpdate } from '../../../workflows/messages';
import { optionText, type CommandContext } from '../context';
import { runTicketUpdate, withBy } from '../ticket';

export function run(ctx: CommandContext): Promise<number> {
  return runTicketUpdate(
    ctx,
    resolveUpdate,
    withBy(ctx, { note: optionText(ctx, 'note'), again: ctx.options.again === true || undefined }),
  );
}
