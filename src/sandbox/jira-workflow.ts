/**
 * The sandbox Jira's workflows: which transitions leave each status, which fields each transition's
 * screen lets a caller set, and what its post-functions do to the resolution. As in Jira Cloud, only a
 * transition of the issue's workflow that starts at its current status can be taken, a field can be set
 * only when it is on that transition's screen, and nothing sets a resolution unless a screen or a
 * post-function does.
 */
import type { StoredIssue } from './state';

export interface TransitionDef {
  /** Unique within the workflow. */
  id: string;
  name: string;
  /** Target status. */
  to: string;
  /** Statuses it starts from. */
  from: string[];
  /** Fields on the transition's screen (none: no screen). */
  screen: ('resolution' | 'comment')[];
  /** Post-function: the resolution set when the screen did not set one. */
  setsResolution?: string;
  /** Post-function: clears the resolution (reopening). */
  clearsResolution?: boolean;
}

/** Workflows by project key. */
export type Workflows = Record<string, TransitionDef[]>;

const SS_OPEN = ['Waiting for support', 'Waiting for customer', 'In Progress', 'On Hold'];
const but = (list: string[], status: string) => list.filter((s) => s !== status);

/** A service desk workflow for SS and a software workflow for CS and DEV. */
export const DEFAULT_WORKFLOWS: Workflows = {
  SS: [
    {
      id: '11',
      name: 'Back to support',
      to: 'Waiting for support',
      from: but(SS_OPEN, 'Waiting for support'),
      screen: [],
    },
    {
      id: '21',
      name: 'Respond to customer',
      to: 'Waiting for customer',
      from: but(SS_OPEN, 'Waiting for customer'),
      screen: [],
    },
    { id: '31', name: 'Start progress', to: 'In Progress', from: but(SS_OPEN, 'In Progress'), screen: [] },
    { id: '41', name: 'Pause', to: 'On Hold', from: but(SS_OPEN, 'On Hold'), screen: [] },
    { id: '51', name: 'Resolve', to: 'Closed', from: [...SS_OPEN, 'Resolved'], screen: ['resolution', 'comment'] },
    // JSM's own done status besides Closed (issue 9: any done-category status closes the ticket for deskflow).
    { id: '52', name: 'Mark resolved', to: 'Resolved', from: SS_OPEN, screen: ['resolution', 'comment'] },
    {
      id: '61',
      name: 'Reopen',
      to: 'Waiting for support',
      from: ['Closed', 'Resolved'],
      screen: [],
      clearsResolution: true,
    },
  ],
  CS: softwareWorkflow(),
  DEV: softwareWorkflow(),
};

function softwareWorkflow(): TransitionDef[] {
  return [
    {
      id: '71',
      name: 'To Do',
      to: 'To Do',
      from: ['In Progress', 'On Hold', 'Done'],
      screen: [],
      clearsResolution: true,
    },
    { id: '81', name: 'Start progress', to: 'In Progress', from: ['To Do', 'On Hold'], screen: [] },
    { id: '91', name: 'Hold', to: 'On Hold', from: ['To Do', 'In Progress'], screen: [] },
    {
      id: '101',
      name: 'Done',
      to: 'Done',
      from: ['To Do', 'In Progress', 'On Hold'],
      screen: [],
      setsResolution: 'Done',
    },
    // The second way into Done, with the resolution on its screen: Won't Fix, Cannot Reproduce, Duplicate.
    { id: '111', name: 'Close as', to: 'Done', from: ['To Do', 'In Progress', 'On Hold'], screen: ['resolution'] },
  ];
}

/** The transitions the issue can take now (from its current status). */
export function availableTransitions(workflows: Workflows, issue: StoredIssue): TransitionDef[] {
  return (workflows[issue.project] ?? []).filter((t) =>
    t.from.some((s) => s.toLowerCase() === issue.status.toLowerCase()),
  );
}

/**
 * The available transition into `status`, if any; with `onScreen`, the first whose screen holds that
 * field is preferred (someone picking a resolution in the UI takes the transition that asks for one).
 */
export function transitionInto(
  workflows: Workflows,
  issue: StoredIssue,
  status: string,
  onScreen?: 'resolution' | 'comment',
): TransitionDef | undefined {
  const into = availableTransitions(workflows, issue).filter((t) => t.to.toLowerCase() === status.toLowerCase());
  return (onScreen && into.find((t) => t.screen.includes(onScreen))) || into[0];
}

/** Checks a workflow definition given through the settings; returns a message for the first problem. */
export function workflowProblem(
  workflows: unknown,
  statusesOf: (project: string) => string[] | undefined,
): string | null {
  if (!workflows || typeof workflows !== 'object' || Array.isArray(workflows))
    return 'workflows must be an object by project key';
  for (const [project, list] of Object.entries(workflows as Record<string, unknown>)) {
    const statuses = statusesOf(project);
    if (!statuses) return `workflows: no project ${project}`;
    if (!Array.isArray(list)) return `workflows.${project} must be a list of transitions`;
    const ids = new Set<string>();
    for (const t of list as Partial<TransitionDef>[]) {
      if (
        !t ||
        typeof t.id !== 'string' ||
        typeof t.name !== 'string' ||
        typeof t.to !== 'string' ||
        !Array.isArray(t.from)
      )
        return `workflows.${project}: each transition needs id, name, to and from`;
      if (ids.has(t.id)) return `workflows.${project}: transition id ${t.id} is used twice`;
      ids.add(t.id);
      for (const s of [t.to, ...t.from])
        if (!statuses.includes(s)) return `workflows.${project}: ${s} is not a status of ${project}`;
      if (
        t.screen !== undefined &&
        (!Array.isArray(t.screen) || t.screen.some((f) => f !== 'resolution' && f !== 'comment'))
      )
        return `workflows.${project}: a screen may hold resolution and comment`;
    }
  }
  return null;
}
