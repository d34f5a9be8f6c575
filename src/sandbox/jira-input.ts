/**
 * Reads the `fields` and `update` of a create or edit request into a patch, validating as Jira does.
 */
import { adfToText, isAdfDoc } from '../shared/adf';
import { CF, NEEDS_CONFIGURATION_OPTIONS, PRIORITIES, SERVICE_DESK, type ProjectDef, type StoredIssue } from './state';
import { EDITABLE, eqi, JiraValidationError, type Api, type IssuePatch, type JiraLookup } from './jira-fields';

/**
 * Reads `fields` and `update` of a create or edit request into a patch, validating like Jira:
 * a field not on the screen or a bad value is a 400 naming the field.
 */
export function interpretIssueInput(
  m: JiraLookup,
  project: ProjectDef,
  current: StoredIssue | null,
  fields: Record<string, unknown>,
  update: Record<string, unknown>,
  api: Api,
): IssuePatch {
  const errors: Record<string, string> = {};
  const patch: IssuePatch = {};
  const notOnScreen = (f: string) => `Field '${f}' cannot be set. It is not on the appropriate screen, or unknown.`;
  const userRef = (field: string, v: unknown, label: string): string | null | undefined => {
    if (v === null) return null;
    const id =
      typeof v === 'object'
        ? ((v as Record<string, unknown>).accountId ?? (v as Record<string, unknown>).id)
        : undefined;
    if (typeof id !== 'string') {
      errors[field] = `${label}: specify the user by accountId.`;
      return undefined;
    }
    if (id === '-1') return null;
    if (!m.user(id)) {
      errors[field] = `Specified ${label.toLowerCase()} is not a user.`;
      return undefined;
    }
    return id;
  };
  const name = (v: unknown): string | undefined => {
    if (typeof v === 'string') return v;
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.name === 'string') return o.name;
      if (typeof o.value === 'string') return o.value;
      if (typeof o.id === 'string' || typeof o.id === 'number') return String(o.id);
    }
    return undefined;
  };
  const setField = (f: string, v: unknown) => {
    switch (f) {
      case 'summary':
        if (typeof v !== 'string' || !v.trim()) errors.summary = 'You must specify a summary of the issue.';
        else patch.summary = v;
        return;
      case 'description':
        if (v === null) patch.description = '';
        else if (api === 2 && typeof v === 'string') patch.description = v;
        else if (api === 3 && isAdfDoc(v)) patch.description = adfToText(v);
        else
          errors.description =
            api === 3
              ? 'Operation value must be an Atlassian Document (see the Atlassian Document Format).'
              : 'Operation value must be a string';
        return;
      case 'reporter': {
        const id = userRef(f, v, 'Reporter');
        if (id && project.key === SERVICE_DESK.projectKey && !m.mayUseDesk(id)) {
          errors[f] = notCustomer(m, id);
          return;
        }
        if (id !== undefined) patch.reporterId = id;
        return;
      }
      case 'assignee': {
        const id = userRef(f, v, 'Assignee');
        if (id !== undefined) patch.assigneeId = id;
        return;
      }
      case CF.qaAssignee: {
        const id = userRef(f, v, 'QA assignee');
        if (id !== undefined) patch.qaAssigneeId = id;
        return;
      }
      case 'priority': {
        if (v === null) {
          patch.priority = null;
          return;
        }
        const n = name(v);
        const p = PRIORITIES.find((x) => n !== undefined && (eqi(x.name, n) || x.id === n));
        if (!p) errors.priority = `The priority selected is invalid: '${String(n ?? JSON.stringify(v))}'.`;
        else patch.priority = p.name;
        return;
      }
      case 'labels':
        if (!Array.isArray(v) || v.some((l) => typeof l !== 'string' || /\s/.test(l)))
          errors.labels = 'Labels must be an array of strings without spaces.';
        else patch.labels = [...new Set(v as string[])];
        return;
      case 'components': {
        if (!Array.isArray(v)) {
          errors.components = 'Components must be an array.';
          return;
        }
        const out: string[] = [];
        for (const c of v) {
          const n = name(c);
          const found = m.components(project.key).find((x) => n !== undefined && (eqi(x.name, n) || x.id === n));
          if (!found) {
            errors.components = `Component name '${String(n ?? JSON.stringify(c))}' is not valid`;
            return;
          }
          out.push(found.name);
        }
        patch.components = [...new Set(out)];
        return;
      }
      case 'parent': {
        if (v === null) {
          patch.parentKey = null;
          return;
        }
        const o = (v ?? {}) as Record<string, unknown>;
        const ref = typeof o.key === 'string' ? o.key : typeof o.id === 'string' ? o.id : undefined;
        const parent = ref ? m.issue(ref) : undefined;
        if (!parent) errors.parent = `Could not find issue by id or key: '${String(ref ?? JSON.stringify(v))}'.`;
        else if (parent.issueType !== 'Epic' || parent.project !== project.key) {
          errors.parent = `Given parent work item ${parent.key} does not belong to appropriate hierarchy.`;
        } else patch.parentKey = parent.key;
        return;
      }
      case CF.requestType: {
        if (project.key !== SERVICE_DESK.projectKey) {
          errors[f] = notOnScreen(f);
          return;
        }
        if (v === null) {
          patch.requestTypeId = null;
          return;
        }
        const n = name(v);
        const rt = m.requestTypes.find((r) => n !== undefined && (r.id === n || eqi(r.name, n)));
        if (!rt) errors[f] = `The request type '${String(n ?? JSON.stringify(v))}' is not valid for this service desk.`;
        else patch.requestTypeId = rt.id;
        return;
      }
      case CF.organizations: {
        if (project.key !== SERVICE_DESK.projectKey) {
          errors[f] = notOnScreen(f);
          return;
        }
        if (v === null) {
          patch.organizationIds = [];
          return;
        }
        if (!Array.isArray(v)) {
          errors[f] = 'Organizations must be an array of organization ids.';
          return;
        }
        const ids: string[] = [];
        for (const item of v) {
          const id = typeof item === 'object' && item !== null ? (item as Record<string, unknown>).id : item;
          const org = m.organization(String(id));
          if (!org) {
            errors[f] = `Organization with id '${String(id)}' does not exist.`;
            return;
          }
          ids.push(org.id);
        }
        patch.organizationIds = [...new Set(ids)];
        return;
      }
      case CF.participants: {
        if (!Array.isArray(v)) {
          errors[f] = 'Request participants must be an array of users.';
          return;
        }
        const ids: string[] = [];
        for (const item of v) {
          const id = userRef(f, item, 'Request participant');
          if (id && !m.mayUseDesk(id)) errors[f] = notCustomer(m, id);
          else if (id) ids.push(id);
        }
        patch.participants = [...new Set(ids)];
        return;
      }
      case CF.needsConfiguration: {
        if (v === null) {
          patch.needsConfiguration = null;
          return;
        }
        const n = name(v);
        const opt = NEEDS_CONFIGURATION_OPTIONS.find((o) => n !== undefined && (o.value === n || o.id === n));
        if (!opt) errors[f] = `Option value '${String(n ?? JSON.stringify(v))}' is not valid`;
        else patch.needsConfiguration = opt.value;
        return;
      }
      default:
        errors[f] = notOnScreen(f);
    }
  };
  for (const [f, v] of Object.entries(fields ?? {})) {
    if (['project', 'issuetype'].includes(f) && current === null) continue;
    if (!EDITABLE.has(f)) {
      errors[f] = notOnScreen(f);
      continue;
    }
    setField(f, v);
  }
  for (const [f, ops] of Object.entries(update ?? {})) {
    if (!EDITABLE.has(f)) {
      errors[f] = notOnScreen(f);
      continue;
    }
    if (!Array.isArray(ops)) {
      errors[f] = 'Update operations must be an array.';
      continue;
    }
    for (const op of ops as Record<string, unknown>[]) {
      if ('set' in op) {
        setField(f, op.set);
      } else if (f === 'labels' || f === 'components') {
        const list =
          f === 'labels'
            ? [...(patch.labels ?? current?.labels ?? [])]
            : [...(patch.components ?? current?.components ?? [])];
        const one = (v: unknown): string | undefined => {
          if (f === 'labels') {
            if (typeof v === 'string' && v && !/\s/.test(v)) return v;
            errors.labels = `The label '${String(v)}' contains spaces or is not a string.`;
            return undefined;
          }
          const n = name(v);
          const found = m.components(project.key).find((x) => n !== undefined && (eqi(x.name, n) || x.id === n));
          if (!found) errors.components = `Component name '${String(n ?? JSON.stringify(v))}' is not valid`;
          return found?.name;
        };
        if ('add' in op) {
          const v = one(op.add);
          if (v !== undefined && !list.includes(v)) list.push(v);
        } else if ('remove' in op) {
          const r = f === 'labels' ? op.remove : name(op.remove);
          const idx = list.findIndex((x) => typeof r === 'string' && eqi(x, r));
          if (idx >= 0) list.splice(idx, 1);
        } else {
          errors[f] = `Unsupported update operation on ${f}.`;
          continue;
        }
        if (f === 'labels') patch.labels = list;
        else patch.components = list;
      } else {
        errors[f] = `Unsupported update operation on ${f}.`;
      }
    }
  }
  if (Object.keys(errors).length > 0) throw new JiraValidationError(errors);
  return patch;
}

/** A restricted desk's answer for someone who is neither an agent nor a customer of it. */
export function notCustomer(m: JiraLookup, accountId: string): string {
  const who = m.user(accountId);
  return `${who?.displayName ?? accountId} is not a customer of this service project: add them to the project's customers first.`;
}
