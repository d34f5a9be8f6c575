/** `deskflow lead-contacted`: the sales lead reached the prospect; deskflow records the note and closes the ticket. */
import { leadContactedUpdate } from '../../../workflows/messages';
import { optionText, type CommandContext } from '../context';
import { runTicketUpdate, withBy } from '../ticket';

export function run(ctx: CommandContext): Promise<number> {
  return runTicketUpdate(ctx, leadContactedUpdate, withBy(ctx, { note: optionText(ctx, 'note') }));
}
