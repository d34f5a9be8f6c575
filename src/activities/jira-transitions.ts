/**
 * Status changes through the issue's workflow transitions. Jira accepts a field on a transition only
 * when it is on that transition's screen (a resolution sent to a screenless transition is a 400), so the
 * transition's fields are read first (`expand=transitions.fields`) and the resolution is sent only where
 * the screen has it; elsewhere the workflow's post-function decides the resolution.
 */
import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/activity';
import type { TransitionIssueInput } from './contract';
import { ActivityErrorType, activityLog, rejected, type ErrorContext } from './errors';
import { arr, obj, propertyValue, sameName, str, type Json } from './jira-shapes';
import type { JiraSession } from './jira-session';

/** Prefix of the issue properties recording a status change made for one opKey. */
export const MOVED_PROPERTY_PREFIX = 'deskflow.moved.';

/** The issue property recording the status change made for one opKey (hashed: keys are URL path parts). */
export function movedProperty(opKey: string): string {
  return `${MOVED_PROPERTY_PREFIX}${createHash('sha256').update(opKey).digest('hex').slice(0, 32)}`;
}

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

  /**
   * Moves the issue to the named status (with a resolution where the screen takes one); no-op when already
   * there. With an opKey the move is made once: the key is recorded on the issue in the transition's own
   * request (an issue property, read back with the status first), and also when the issue was already
   * there; a repeat of the call (a retry, or a local activity re-run after a lost workflow task) finds it
   * and changes nothing, even if the issue has moved on since (a customer's reply, an agent).
   */
  async function transitionIssue({ key, to, resolution, opKey }: TransitionIssueInput): Promise<void> {
    const ctx: ErrorContext = {
      ticket: key,
      action: `transition to ${JSON.stringify(to)}`,
      ...(resolution !== undefined ? { fields: { resolution: { name: 'resolution', value: resolution } } } : {}),
    };
    const property = opKey !== undefined ? movedProperty(opKey) : undefined;
    const readIssue = async (withProperty = false) =>
      obj(
        await jira(ctx, () =>
          cloud.issues.getIssue({
            issueIdOrKey: key,
            fields: ['status'],
            ...(withProperty && property ? { properties: [property] } : {}),
          }),
        ),
      );
    const statusOf = (issue: Json) => str(obj(obj(issue.fields).status).name) ?? '';
    const record = property ? [{ key: property, value: { opKey, to } }] : [];
    const recordHere = async () => {
      for (const p of record)
        await jira({ ...ctx, action: `record the move to ${JSON.stringify(to)}` }, () =>
          cloud.issueProperties.setIssueProperty({ issueIdOrKey: key, propertyKey: p.key, body: p.value }),
        );
    };
    const issue = await readIssue(true);
    if (property && propertyValue(issue.properties, property)?.opKey === opKey) {
      activityLog('info', 'status change already made', { key, to, opKey });
      return;
    }
    const current = statusOf(issue);
    if (sameName(current, to)) return recordHere();
    s.wrote(issue.id);
    // Someone else (the customer's reply under the desk's own rules, an agent) may move the issue to the
    // same status between our read and our write: a refusal is then checked against where it ended up.
    const reachedMeanwhile = async () => sameName(statusOf(await readIssue()), to);
    const transitions = arr(
      obj(await jira(ctx, () => cloud.issues.getTransitions({ issueIdOrKey: key, expand: 'transitions.fields' })))
        .transitions,
    ).map(obj);
    const transition =
      transitions.find((t) => sameName(obj(t.to).name, to)) ?? transitions.find((t) => sameName(t.name, to));
    if (!transition || transition.id === undefined) {
      if (await reachedMeanwhile()) return recordHere();
      const available = transitions.map((t) => str(obj(t.to).name) ?? str(t.name)).filter(Boolean);
      throw rejected(
        ActivityErrorType.InvalidTransition,
        `${key}: no transition from ${JSON.stringify(current)} to ${JSON.stringify(to)} (available: ${available.join(', ') || 'none'})`,
      );
    }
    const id = String(transition.id);
    const res = resolutionField(transition, resolution, key);
    try {
      await jira(ctx, () =>
        cloud.issues.doTransition({
          issueIdOrKey: key,
          transition: { id },
          ...(res ? { fields: { resolution: res } } : {}),
          ...(record.length ? { properties: record } : {}),
        }),
      );
    } catch (err) {
      if (err instanceof ApplicationFailure && err.nonRetryable && (await reachedMeanwhile())) return recordHere();
      throw err;
    }
  }

  return { transitionIssue };
}
