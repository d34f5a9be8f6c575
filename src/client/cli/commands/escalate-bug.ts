/** `deskflow escalate-bug`: the agent reproduced a bug; deskflow files the DEV issue with these steps and waits for the fix. */
import { escalateBugUpdate } from '../../../workflows/messages';
import { optionText, type CommandContext } from '../context';
import { runTicketUpdate, withBy } from '../ticket';

export function run(ctx: CommandContext): Promise<number> {
  return runTicketUpdate(ctx, escalateBugUpdate, withBy(ctx, { steps: optionText(ctx, 'steps') ?? '' }));
}
