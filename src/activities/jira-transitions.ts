/**
 * Status changes through the issue's workflow transitions.
 */
import type { TransitionIssueInput } from './contract';
import { ActivityErrorType, rejected, type ErrorContext } from './errors';
import { arr, obj, sameName, str } from './jira-shapes';
import type { JiraSession } from './jira-session';

export function createJiraTransitions(s: JiraSession) {
  const { cloud, jira } = s;

  /** Moves the issue to the named status (with a resolution when closing); no-op when it is already there. */
  async function transitionIssue({ key, to, resolution }: TransitionIssueInput): Promise<void> {
    const ctx: ErrorContext = {
      ticket: key,
      action: `transition to ${JSON.stringify(to)}`,
      ...(resolution !== undefined ? { fields: { resolution: { name: 'resolution', value: resolution } } } : {}),
    };
    const issue = obj(await jira(ctx, () => cloud.issues.getIssue({ issueIdOrKey: key, fields: ['status'] })));
    const current = str(obj(obj(issue.fields).status).name) ?? '';
    if (sameName(current, to)) return;
    s.wrote(issue.id);
    const transitions = arr(
      obj(await jira(ctx, () => cloud.issues.getTransitions({ issueIdOrKey: key }))).transitions,
    ).map(obj);
    const transition =
      transitions.find((t) => sameName(obj(t.to).name, to)) ?? transitions.find((t) => sameName(t.name, to));
    if (!transition || transition.id === undefined) {
      const available = transitions.map((t) => str(obj(t.to).name) ?? str(t.name)).filter(Boolean);
      throw rejected(
        ActivityErrorType.InvalidTransition,
        `${key}: no transition from ${JSON.stringify(current)} to ${JSON.stringify(to)} (available: ${available.join(', ') || 'none'})`,
      );
    }
    const id = String(transition.id);
    await jira(ctx, () =>
      cloud.issues.doTransition({
        issueIdOrKey: key,
        transition: { id },
        ...(resolution !== undefined ? { fields: { resolution: { name: resolution } } } : {}),
      }),
    );
  }

  return { transitionIssue };
}
