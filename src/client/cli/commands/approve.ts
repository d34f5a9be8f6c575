/** `deskflow approve`: the onboarding approver approves the go-live (E-13); refused unless the onboarding waits for approval. */
import { approveUpdate } from '../../../workflows/messages';
import { optionText, type CommandContext } from '../context';
import { runTicketUpdate, withBy } from '../ticket';

export function run(ctx: CommandContext): Promise<number> {
  return runTicketUpdate(
    ctx,
    approveUpdate,
    withBy(ctx, { note: optionText(ctx, 'note'), onBehalfOf: optionText(ctx, 'for') }),
  );
}
