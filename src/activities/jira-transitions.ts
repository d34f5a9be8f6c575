/**
 * Status changes through the issue's workflow transitions. Jira accepts a field on a transition only
 * when it is on that transition's screen (a resolution sent to a screenless transition is a 400), so the
 * transition's fields are read first (`expand=transitions.fields`) and the resolution is sent only where
 * the screen has it; elsewhere the workflow's post-function decides the resolution.
 */
import type { TransitionIssueInput } from './contract';
import { ActivityErrorType, activityLog, rejected, type ErrorContext } from './errors';
import { arr, obj, sameName, str, type Json } from './jira-shapes';
import type { JiraSession } from './jira-session';

export function createJiraTransitions(s: JiraSession) {
  const { cfg, cloud, jira } = s;

  /** The resolution field to send on this transition, if its screen has one. */
  function resolutionField(transition: Json, wanted: string | undefined, key: string): Json | undefined {
    const field = obj(obj(transition.fields).resolution);
    if (Object.keys(field).length === 0) {
      if (wanted !== undefined)
        activityLog('info', 'transition has no resolution on its screen; the workflow sets it', {
          key,
          transition: str(transition.name),
          resolution: wanted,
        });
      return undefined;
    }
    const allowed = arr(field.allowedValues).map(obj);
    const pick = (name: string) => allowed.find((v) => sameName(v.name, name));
    const chosen =
      wanted !== undefined
        ? (pick(wanted) ?? { name: wanted })
        : field.required === true
          ? pick(cfg.resolutions.done)
          : undefined;
    if (!chosen) return undefined;
    return str(chosen.id) ? { id: str(chosen.id) } : { name: str(chosen.name) ?? wanted };
  }

  /** Moves the issue to the named status (with a resolution where the screen takes one); no-op when already there. */
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
      obj(await jira(ctx, () => cloud.issues.getTransitions({ issueIdOrKey: key, expand: 'transitions.fields' })))
        .transitions,
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
    const res = resolutionField(transition, resolution, key);
    await jira(ctx, () =>
      cloud.issues.doTransition({
        issueIdOrKey: key,
        transition: { id },
        ...(res ? { fields: { resolution: res } } : {}),
      }),
    );
  }

  return { transitionIssue };
}
