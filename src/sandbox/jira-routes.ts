/**
 * Jira Cloud's REST paths served by the sandbox: platform v2/v3 (`/rest/api/{2,3}/…`), Service
 * Management (`/rest/servicedeskapi/…`) and a little Agile (`/rest/agile/1.0/…`), with Jira's
 * status codes, response shapes and paging. Every handler acts as the Basic-auth user.
 */
import { adfToText, bodyToText, isAdfDoc, mentionsAsMarkup } from '../shared/adf';
import { asRecord, intParam, json, listParam, Router, type Reply, type Request } from './http';
import { attachmentRoutes } from './jira-attachments';
import { JiraModel, JiraValidationError, type Api, type IssuePatch, type NewIssueLink } from './jira-model';
import { screenError } from './jira-fields';
import { notCustomer } from './jira-input';
import { availableTransitions } from './jira-workflow';
import { compileJql, JqlError } from './jql';
import {
  issueTypeDef,
  LINK_TYPES,
  PRIORITIES,
  projectDef,
  RESOLUTIONS,
  SERVICE_DESK,
  statusDef,
  STATUSES,
  type StoredIssue,
  type StoredUser,
} from './state';

export type JiraRequest = Request & { actor: StoredUser };

function jiraError(status: number, errorMessages: string[], errors: Record<string, string> = {}): Reply {
  return json(status, { errorMessages, errors });
}

function jsmError(status: number, message: string): Reply {
  return json(status, {
    errorMessage: message,
    i18nErrorMessage: { i18nKey: 'sd.sandbox.error', parameters: [] },
  });
}

const NO_ISSUE = 'Issue does not exist or you do not have permission to see it.';

/** Wraps a handler so validation and JQL errors become Jira's 400 answers. */
function guard(fn: (req: JiraRequest) => Reply): (req: Request) => Reply {
  return (req) => {
    if (req.bodyError) return jiraError(400, ['Unexpected character in the request body: the body must be JSON.']);
    try {
      return fn(req as JiraRequest);
    } catch (err) {
      if (err instanceof JiraValidationError) return jiraError(err.status, err.errorMessages, err.errors);
      if (err instanceof JqlError) return json(400, { errorMessages: [err.message], warningMessages: [] });
      throw err;
    }
  };
}

function pagedJsm(req: Request, items: unknown[], base: string, defaultLimit = 50): Record<string, unknown> {
  const start = intParam(req.query.get('start'), 0);
  const limit = Math.max(1, intParam(req.query.get('limit'), defaultLimit));
  const values = items.slice(start, start + limit);
  const isLastPage = start + values.length >= items.length;
  const self = `${base}${req.path}`;
  return {
    _expands: [],
    size: values.length,
    start,
    limit,
    isLastPage,
    values,
    _links: {
      base,
      context: '',
      self,
      ...(isLastPage ? {} : { next: `${self}?start=${start + limit}&limit=${limit}` }),
      ...(start > 0 ? { prev: `${self}?start=${Math.max(0, start - limit)}&limit=${limit}` } : {}),
    },
  };
}

export function jiraRouter(model: JiraModel, baseUrl: () => string): Router {
  const r = new Router();
  const P = '/rest/api/(2|3)';
  const api = (req: Request): Api => (req.params[0] === '2' ? 2 : 3);
  const issueOr404 = (ref: string | undefined): StoredIssue => {
    const issue = model.issue(ref ?? '');
    if (!issue) throw new JiraValidationError({}, [NO_ISSUE], 404);
    return issue;
  };
  const userRefOr400 = (accountId: unknown, field: string): StoredUser => {
    const u = typeof accountId === 'string' ? model.user(accountId) : undefined;
    if (!u)
      throw new JiraValidationError({
        [field]: `The user with account ID '${String(accountId)}' does not exist.`,
      });
    return u;
  };

  // ----------------------------------------------------------------------- users and catalogue
  r.on(
    'GET',
    new RegExp(`^${P}/myself$`),
    guard((req) => json(200, model.json.userJson(req.actor, api(req)))),
  );
  r.on(
    'GET',
    new RegExp(`^${P}/mypermissions$`),
    guard((req) => {
      const wanted = (req.query.get('permissions') ?? '')
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean);
      if (wanted.length === 0) return jiraError(400, ["The 'permissions' query parameter is required."]);
      const holds = (key: string): boolean => {
        if (key === 'ADMINISTER') return model.isJiraAdmin(req.actor);
        if (key === 'ADMINISTER_PROJECTS') return model.isDeskAdmin(req.actor);
        return req.actor.staff;
      };
      return json(200, {
        permissions: Object.fromEntries(
          wanted.map((key, i) => [
            key,
            {
              id: String(i),
              key,
              name: key,
              type: key === 'ADMINISTER' ? 'GLOBAL' : 'PROJECT',
              description: '',
              havePermission: holds(key),
            },
          ]),
        ),
      });
    }),
  );
  r.on(
    'GET',
    new RegExp(`^${P}/user$`),
    guard((req) => {
      const u = model.user(req.query.get('accountId'));
      return u
        ? json(200, model.json.userJson(u, api(req)))
        : jiraError(404, [`User with account ID '${req.query.get('accountId') ?? ''}' does not exist.`]);
    }),
  );
  r.on(
    'GET',
    new RegExp(`^${P}/user/search$`),
    guard((req) => {
      const query = (req.query.get('query') ?? '').trim();
      const accountId = req.query.get('accountId');
      const startAt = intParam(req.query.get('startAt'), 0);
      const maxResults = intParam(req.query.get('maxResults'), 50);
      if (!query && !accountId) return jiraError(400, ["The query parameter 'query' is required."]);
      let found: StoredUser[];
      if (accountId) {
        found = model.users().filter((u) => u.accountId === accountId);
      } else if (/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(query)) {
        // Only people who have an account: staff (every one has, as licensed users of the site), and
        // customers who wrote in or were created.
        const u = model.isStaffEmail(query) ? model.ensureUser(query) : model.userByEmail(query);
        found = u ? [u] : [];
      } else {
        const q = query.toLowerCase();
        found = model.users().filter(
          (u) =>
            u.email.toLowerCase().startsWith(q) ||
            u.displayName
              .toLowerCase()
              .split(' ')
              .some((w) => w.startsWith(q)) ||
            u.displayName.toLowerCase().startsWith(q),
        );
      }
      return json(
        200,
        found.slice(startAt, startAt + maxResults).map((u) => model.json.userJson(u, api(req))),
      );
    }),
  );
  // Users who may browse an issue (or any issue of a project): staff and partners, never JSM customers.
  r.on(
    'GET',
    new RegExp(`^${P}/user/viewissue/search$`),
    guard((req) => {
      const query = (req.query.get('query') ?? '').trim().toLowerCase();
      const accountId = req.query.get('accountId');
      const issueKey = req.query.get('issueKey');
      const projectKey = req.query.get('projectKey');
      if (!query && !accountId) return jiraError(400, ["The query parameter 'query' or 'accountId' is required."]);
      if (issueKey) issueOr404(issueKey);
      else if (!projectKey || !projectDef(projectKey))
        return jiraError(400, [`No project could be found with key '${projectKey ?? ''}'.`]);
      const startAt = intParam(req.query.get('startAt'), 0);
      const maxResults = intParam(req.query.get('maxResults'), 50);
      const found = model
        .users()
        .filter((u) =>
          accountId
            ? u.accountId === accountId
            : u.email.toLowerCase().startsWith(query) || u.displayName.toLowerCase().startsWith(query),
        )
        .filter((u) => model.mayBrowse(u.accountId));
      return json(
        200,
        found.slice(startAt, startAt + maxResults).map((u) => model.json.userJson(u, api(req))),
      );
    }),
  );
  r.on(
    'GET',
    new RegExp(`^${P}/field$`),
    guard(() => json(200, model.json.fieldCatalogue())),
  );
  r.on(
    'GET',
    new RegExp(`^${P}/priority$`),
    guard(() =>
      json(
        200,
        PRIORITIES.map((p) => model.json.priorityJson(p.name)),
      ),
    ),
  );
  r.on(
    'GET',
    new RegExp(`^${P}/resolution$`),
    guard(() =>
      json(
        200,
        RESOLUTIONS.map((x) => model.json.resolutionJson(x.name)),
      ),
    ),
  );
  r.on(
    'GET',
    new RegExp(`^${P}/status$`),
    guard(() =>
      json(
        200,
        STATUSES.map((s) => model.json.statusJson(s.name)),
      ),
    ),
  );
  r.on(
    'GET',
    new RegExp(`^${P}/issueLinkType$`),
    guard(() =>
      json(200, {
        issueLinkTypes: LINK_TYPES.map((t) => model.json.linkTypeJson(t)),
      }),
    ),
  );
  r.on(
    'GET',
    new RegExp(`^${P}/project/([^/]+)$`),
    guard((req) => {
      const p = projectDef(req.params[1] ?? '');
      if (!p) return jiraError(404, [`No project could be found with key '${req.params[1] ?? ''}'.`]);
      return json(200, {
        ...model.json.projectJson(p),
        issueTypes: p.issueTypes.map((t) => model.json.issueTypeJson(t)),
      });
    }),
  );
  r.on(
    'GET',
    new RegExp(`^${P}/project/([^/]+)/components$`),
    guard((req) => {
      const p = projectDef(req.params[1] ?? '');
      if (!p) return jiraError(404, [`No project could be found with key '${req.params[1] ?? ''}'.`]);
      return json(
        200,
        model.components(p.key).map((c) => model.json.componentJson(c)),
      );
    }),
  );
  r.on(
    'POST',
    new RegExp(`^${P}/component$`),
    guard((req) => {
      const body = asRecord(req.body);
      const p = projectDef(String(body.project ?? body.projectId ?? ''));
      if (!p) return jiraError(400, [], { project: 'The project is required.' });
      if (typeof body.name !== 'string' || !body.name.trim())
        return jiraError(400, [], {
          name: 'The component name must not be empty.',
        });
      return json(201, model.json.componentJson(model.createComponent(p.key, body.name.trim())));
    }),
  );

  // ------------------------------------------------------------------------------- issues
  /**
   * `update.issuelinks` of a create request: `[{ add: { type, inwardIssue | outwardIssue } }]`, as the new
   * issue's own links read ("outwardIssue": the new issue is the link's source). Jira makes the links with
   * the issue, in the same request, so a created issue is never without them.
   */
  const linksAtCreation = (ops: unknown, errors: Record<string, string>): NewIssueLink[] => {
    if (ops === undefined) return [];
    if (!Array.isArray(ops)) {
      errors.issuelinks = 'Update operations must be an array.';
      return [];
    }
    const out: NewIssueLink[] = [];
    for (const op of ops) {
      const add = asRecord(asRecord(op).add);
      if (!('add' in asRecord(op))) {
        errors.issuelinks = 'Only the add operation is supported for issuelinks.';
        return [];
      }
      const typeRef = asRecord(add.type);
      const type = LINK_TYPES.find(
        (t) => t.id === String(typeRef.id ?? '') || t.name.toLowerCase() === String(typeRef.name ?? '').toLowerCase(),
      );
      if (!type) {
        errors.issuelinks = `No issue link type with name '${String(typeRef.name ?? typeRef.id ?? '')}' found.`;
        return [];
      }
      const outward = add.outwardIssue !== undefined;
      const ref = asRecord(outward ? add.outwardIssue : add.inwardIssue);
      const other = model.issue(String(ref.key ?? ref.id ?? ''));
      if (!other) {
        errors.issuelinks = `Issue '${String(ref.key ?? ref.id ?? '')}' does not exist or you do not have permission to see it.`;
        return [];
      }
      out.push({ type: type.name, other, newIsSource: outward });
    }
    return out;
  };
  r.on(
    'POST',
    new RegExp(`^${P}/issue$`),
    guard((req) => {
      const body = asRecord(req.body);
      const fields = asRecord(body.fields);
      const errors: Record<string, string> = {};
      const projectRef = asRecord(fields.project);
      const project = projectDef(String(projectRef.key ?? projectRef.id ?? ''));
      if (!project) errors.project = 'Specify a valid project ID or key';
      const typeRef = asRecord(fields.issuetype);
      const type = issueTypeDef(String(typeRef.name ?? typeRef.id ?? ''));
      if (!type) errors.issuetype = 'Specify an issue type';
      else if (project && !project.issueTypes.includes(type.name))
        errors.issuetype = `The issue type selected is invalid for project ${project.key}.`;
      if (typeof fields.summary !== 'string' || !fields.summary.trim())
        errors.summary = 'You must specify a summary of the issue.';
      const { issuelinks, ...update } = asRecord(body.update);
      const links = linksAtCreation(issuelinks, errors);
      if (Object.keys(errors).length) return jiraError(400, [], errors);
      const patch: IssuePatch = model.interpret(project!, null, fields, update, api(req));
      const reporterId = patch.reporterId;
      delete patch.reporterId;
      const properties = Object.fromEntries(
        (Array.isArray(body.properties) ? body.properties : []).map((p: unknown) => [
          String(asRecord(p).key),
          asRecord(p).value,
        ]),
      );
      const { summary, description } = patch;
      delete patch.summary;
      delete patch.description;
      const issue = model.createIssue({
        project: project!,
        issueType: type!.name,
        summary: summary ?? String(fields.summary),
        description: description ?? '',
        actor: req.actor,
        reporterId,
        patch,
        properties,
        links,
      });
      return json(201, {
        id: issue.id,
        key: issue.key,
        self: `${baseUrl()}/rest/api/${api(req)}/issue/${issue.id}`,
      });
    }),
  );
  r.on(
    'GET',
    new RegExp(`^${P}/issue/([^/]+)$`),
    guard((req) => {
      const issue = issueOr404(req.params[1]);
      return json(
        200,
        model.json.issueJson(issue, api(req), {
          fields: listParam(req.query, 'fields'),
          expand: listParam(req.query, 'expand'),
          properties: listParam(req.query, 'properties'),
        }),
      );
    }),
  );
  r.on(
    'PUT',
    new RegExp(`^${P}/issue/([^/]+)$`),
    guard((req) => {
      const issue = issueOr404(req.params[1]);
      const body = asRecord(req.body);
      const patch = model.interpret(
        projectDef(issue.project)!,
        issue,
        asRecord(body.fields),
        asRecord(body.update),
        api(req),
      );
      if (Array.isArray(body.properties)) {
        for (const p of body.properties) issue.properties[String(asRecord(p).key)] = asRecord(p).value;
        model.touch(issue);
      }
      model.updateIssue(issue, patch, req.actor);
      if (req.query.get('returnIssue') === 'true')
        return json(
          200,
          model.json.issueJson(issue, api(req), {
            expand: listParam(req.query, 'expand'),
          }),
        );
      return json(204);
    }),
  );
  r.on(
    'PUT',
    new RegExp(`^${P}/issue/([^/]+)/assignee$`),
    guard((req) => {
      const issue = issueOr404(req.params[1]);
      const accountId = asRecord(req.body).accountId;
      if (accountId === null || accountId === undefined || accountId === '-1') {
        model.updateIssue(issue, { assigneeId: null }, req.actor);
        return json(204);
      }
      const u = userRefOr400(accountId, 'assignee');
      model.updateIssue(issue, { assigneeId: u.accountId }, req.actor);
      return json(204);
    }),
  );
  r.on(
    'GET',
    new RegExp(`^${P}/issue/([^/]+)/transitions$`),
    guard((req) => {
      const issue = issueOr404(req.params[1]);
      const expand = (listParam(req.query, 'expand') ?? []).flatMap((e) => e.split(',')).map((e) => e.trim());
      let transitions = model.json.transitionsJson(issue, expand.includes('transitions.fields'));
      const only = req.query.get('transitionId');
      if (only) transitions = transitions.filter((t) => t.id === only);
      return json(200, { expand: 'transitions', transitions });
    }),
  );
  r.on(
    'POST',
    new RegExp(`^${P}/issue/([^/]+)/transitions$`),
    guard((req) => {
      const issue = issueOr404(req.params[1]);
      const body = asRecord(req.body);
      const id = String(asRecord(body.transition).id ?? '');
      // Only a transition of the issue's workflow that leaves its current status exists.
      const transition = availableTransitions(model.workflows, issue).find((t) => t.id === id);
      if (!transition) return jiraError(400, [`Transition id '${id}' is not valid for this issue.`]);
      const fields = asRecord(body.fields);
      const errors: Record<string, string> = {};
      // A field can be set only when it is on the transition's screen.
      for (const f of Object.keys(fields))
        if (f !== 'resolution' || !transition.screen.includes('resolution')) errors[f] = screenError(f);
      for (const f of Object.keys(asRecord(body.update)))
        if (f !== 'comment' || !transition.screen.includes('comment')) errors[f] = screenError(f);
      let resolution: string | undefined;
      if (fields.resolution !== undefined && !errors.resolution) {
        const ref = asRecord(fields.resolution);
        const res = RESOLUTIONS.find(
          (x) => (typeof ref.name === 'string' && x.name.toLowerCase() === ref.name.toLowerCase()) || x.id === ref.id,
        );
        if (!res) errors.resolution = `Resolution '${String(ref.name ?? ref.id)}' is not valid.`;
        else resolution = res.name;
      } else if (transition.screen.includes('resolution') && fields.resolution === undefined) {
        errors.resolution = 'Resolution is required.';
      }
      const commentOps = asRecord(body.update).comment;
      if (Object.keys(errors).length) return jiraError(400, [], errors);
      model.takeTransition(issue, transition, req.actor, resolution);
      // Issue properties set with the transition (Jira's `properties` of the request body).
      for (const p of Array.isArray(body.properties) ? body.properties.map(asRecord) : [])
        if (typeof p.key === 'string' && p.key) issue.properties[p.key] = p.value;
      if (Array.isArray(commentOps)) {
        for (const op of commentOps) {
          const add = asRecord(asRecord(op).add);
          const text = bodyToText(isAdfDoc(add.body) ? mentionsAsMarkup(add.body) : add.body);
          if (text) model.addComment(issue, req.actor, text, true);
        }
      }
      return json(204);
    }),
  );

  // ----------------------------------------------------------------------------- comments
  const commentProps = (v: unknown): Record<string, unknown> =>
    Object.fromEntries((Array.isArray(v) ? v : []).map((p: unknown) => [String(asRecord(p).key), asRecord(p).value]));
  const isInternal = (props: Record<string, unknown>) => asRecord(props['sd.public.comment']).internal === true;
  r.on(
    'GET',
    new RegExp(`^${P}/issue/([^/]+)/comment$`),
    guard((req) => {
      const issue = issueOr404(req.params[1]);
      const startAt = intParam(req.query.get('startAt'), 0);
      const maxResults = intParam(req.query.get('maxResults'), 5000);
      const withProps = (listParam(req.query, 'expand') ?? []).includes('properties');
      const sorted = req.query.get('orderBy') === '-created' ? [...issue.comments].reverse() : issue.comments;
      const page = sorted.slice(startAt, startAt + maxResults);
      return json(200, {
        startAt,
        maxResults,
        total: issue.comments.length,
        comments: page.map((c) => model.json.commentJson(issue, c, api(req), withProps)),
      });
    }),
  );
  r.on(
    'GET',
    new RegExp(`^${P}/issue/([^/]+)/comment/([^/]+)$`),
    guard((req) => {
      const issue = issueOr404(req.params[1]);
      const c = issue.comments.find((x) => x.id === req.params[2]);
      if (!c) return jiraError(404, ['Can not find a comment for the id: ' + (req.params[2] ?? '') + '.']);
      return json(
        200,
        model.json.commentJson(issue, c, api(req), (listParam(req.query, 'expand') ?? []).includes('properties')),
      );
    }),
  );
  r.on(
    'POST',
    new RegExp(`^${P}/issue/([^/]+)/comment$`),
    guard((req) => {
      const issue = issueOr404(req.params[1]);
      const body = asRecord(req.body);
      let text: string | undefined;
      if (api(req) === 2 && typeof body.body === 'string') text = body.body;
      // Mentions are kept as Jira keeps them, `[~accountid:ID]`, so reads and webhooks carry them.
      if (api(req) === 3 && isAdfDoc(body.body)) text = adfToText(mentionsAsMarkup(body.body));
      if (text === undefined) {
        return jiraError(400, [], {
          comment:
            api(req) === 3
              ? 'Comment body must be an Atlassian Document (see the Atlassian Document Format).'
              : 'Comment body must be a string.',
        });
      }
      if (!text.trim())
        return jiraError(400, [], {
          comment: 'Comment body can not be empty!',
        });
      const props = commentProps(body.properties);
      const c = model.addComment(issue, req.actor, text, !isInternal(props), props);
      return json(
        201,
        model.json.commentJson(issue, c, api(req), (listParam(req.query, 'expand') ?? []).includes('properties')),
      );
    }),
  );
  const findComment = (id: string | undefined) => {
    for (const issue of model.issues()) {
      const c = issue.comments.find((x) => x.id === id);
      if (c) return { issue, c };
    }
    throw new JiraValidationError({}, [`Can not find a comment for the id: ${id ?? ''}.`], 404);
  };
  r.on(
    'GET',
    new RegExp(`^${P}/comment/([^/]+)/properties/([^/]+)$`),
    guard((req) => {
      const { c } = findComment(req.params[1]);
      const key = req.params[2] ?? '';
      if (!(key in c.properties)) return jiraError(404, [`The property with key '${key}' does not exist.`]);
      return json(200, { key, value: c.properties[key] });
    }),
  );
  r.on(
    'PUT',
    new RegExp(`^${P}/comment/([^/]+)/properties/([^/]+)$`),
    guard((req) => {
      const { c } = findComment(req.params[1]);
      const key = req.params[2] ?? '';
      const existed = key in c.properties;
      c.properties[key] = req.body;
      return json(existed ? 200 : 201);
    }),
  );

  // --------------------------------------------------------------------------- properties
  r.on(
    'GET',
    new RegExp(`^${P}/issue/([^/]+)/properties$`),
    guard((req) => {
      const issue = issueOr404(req.params[1]);
      return json(200, {
        keys: Object.keys(issue.properties).map((key) => ({
          self: `${baseUrl()}/rest/api/3/issue/${issue.id}/properties/${key}`,
          key,
        })),
      });
    }),
  );
  r.on(
    'GET',
    new RegExp(`^${P}/issue/([^/]+)/properties/([^/]+)$`),
    guard((req) => {
      const issue = issueOr404(req.params[1]);
      const key = req.params[2] ?? '';
      if (!(key in issue.properties)) return jiraError(404, [`The property with key '${key}' does not exist.`]);
      return json(200, { key, value: issue.properties[key] });
    }),
  );
  r.on(
    'PUT',
    new RegExp(`^${P}/issue/([^/]+)/properties/([^/]+)$`),
    guard((req) => {
      const issue = issueOr404(req.params[1]);
      const key = req.params[2] ?? '';
      if (req.body === undefined) return jiraError(400, ['The property value must be valid JSON.']);
      const existed = key in issue.properties;
      issue.properties[key] = req.body;
      model.touch(issue);
      return json(existed ? 200 : 201);
    }),
  );
  r.on(
    'DELETE',
    new RegExp(`^${P}/issue/([^/]+)/properties/([^/]+)$`),
    guard((req) => {
      const issue = issueOr404(req.params[1]);
      const key = req.params[2] ?? '';
      if (!(key in issue.properties)) return jiraError(404, [`The property with key '${key}' does not exist.`]);
      delete issue.properties[key];
      model.touch(issue);
      return json(204);
    }),
  );

  // ----------------------------------------------------------------------------- watchers
  r.on(
    'GET',
    new RegExp(`^${P}/issue/([^/]+)/watchers$`),
    guard((req) => {
      const issue = issueOr404(req.params[1]);
      return json(200, {
        self: `${baseUrl()}/rest/api/${api(req)}/issue/${issue.key}/watchers`,
        isWatching: issue.watchers.includes(req.actor.accountId),
        watchCount: issue.watchers.length,
        watchers: issue.watchers
          .map((id) => model.user(id))
          .filter(Boolean)
          .map((u) => model.json.userJson(u!, api(req))),
      });
    }),
  );
  r.on('POST', new RegExp(`^${P}/issue/([^/]+)/watchers$`), (req) => {
    // The body is a bare JSON string (the account id); tolerate it unquoted, as Jira does.
    const accountId =
      typeof req.body === 'string' ? req.body : req.rawBody.trim() || (req as JiraRequest).actor.accountId;
    return guard((jreq) => {
      const issue = issueOr404(jreq.params[1]);
      const u = userRefOr400(accountId, 'watcher');
      // Watching needs the Browse projects permission, which JSM customers do not hold.
      if (!model.mayBrowse(u.accountId))
        return jiraError(400, [
          `The user "${u.displayName}" does not have permission to view this issue. This user will not be added to the watch list.`,
        ]);
      if (!issue.watchers.includes(u.accountId)) issue.watchers.push(u.accountId);
      model.touch(issue);
      return json(204);
    })({ ...req, bodyError: false });
  });
  r.on(
    'DELETE',
    new RegExp(`^${P}/issue/([^/]+)/watchers$`),
    guard((req) => {
      const issue = issueOr404(req.params[1]);
      const u = userRefOr400(req.query.get('accountId'), 'watcher');
      issue.watchers = issue.watchers.filter((id) => id !== u.accountId);
      model.touch(issue);
      return json(204);
    }),
  );

  // -------------------------------------------------------------------------- attachments
  attachmentRoutes(r, model, P);

  // -------------------------------------------------------------------------------- links
  r.on(
    'POST',
    new RegExp(`^${P}/issueLink$`),
    guard((req) => {
      const body = asRecord(req.body);
      const ref = (v: unknown) => {
        const o = asRecord(v);
        return String(o.key ?? o.id ?? '');
      };
      const inward = model.issue(ref(body.inwardIssue));
      const outward = model.issue(ref(body.outwardIssue));
      if (!inward || !outward)
        return jiraError(404, [
          `Issue ${!inward ? ref(body.inwardIssue) : ref(body.outwardIssue)} does not exist or you do not have permission to see it.`,
        ]);
      const type = asRecord(body.type);
      // Jira's quirk: the request's inwardIssue is the link's source ("inwardIssue duplicates outwardIssue").
      model.linkIssues(String(type.name ?? type.id ?? ''), inward, outward);
      const comment = asRecord(body.comment);
      const text = bodyToText(comment.body);
      if (text) model.addComment(outward, req.actor, text, true);
      return json(201);
    }),
  );

  // ------------------------------------------------------------------------------- search
  const search = (req: JiraRequest, params: Record<string, unknown>): Reply => {
    const jql = typeof params.jql === 'string' ? params.jql.trim() : '';
    if (!jql || /^order\s+by/i.test(jql)) {
      return json(400, {
        errorMessages: ['Unbounded JQL queries are not allowed here. Please add a search restriction to your query.'],
        warningMessages: [],
      });
    }
    const predicate = compileJql(jql, {
      values: (issue: StoredIssue, field) => model.jqlValues(issue, field),
      known: (field) => model.isKnownJqlField(field),
      fn: (name) => (name === 'currentuser' ? req.actor.accountId : ''),
    });
    let offset = 0;
    if (typeof params.nextPageToken === 'string' && params.nextPageToken) {
      offset = Number(
        Buffer.from(params.nextPageToken, 'base64url')
          .toString('utf8')
          .replace(/^offset:/, ''),
      );
      if (!Number.isFinite(offset) || offset < 0)
        return json(400, {
          errorMessages: ['The provided next page token is invalid or expired.'],
          warningMessages: [],
        });
    }
    const maxResults = Math.min(5000, Math.max(1, intParam(params.maxResults, 50)));
    // Enhanced search is eventually consistent: it matches what the index holds, except for the
    // issues named in reconcileIssues (up to 50 ids), which it reads as they are now.
    const reconcile = params.reconcileIssues;
    if (reconcile !== undefined && (!Array.isArray(reconcile) || reconcile.length > 50))
      return json(400, {
        errorMessages: ['reconcileIssues must be an array of at most 50 issue ids.'],
        warningMessages: [],
      });
    const fresh = new Set((reconcile ?? []).map(String));
    const matches = model.index
      .view(model.issues(), fresh)
      .filter((v) => predicate(v.matched))
      .map((v) => v.live)
      .sort((a, b) => Number(b.id) - Number(a.id));
    const page = matches.slice(offset, offset + maxResults);
    const isLast = offset + page.length >= matches.length;
    const asList = (v: unknown) =>
      Array.isArray(v) ? v.map(String) : typeof v === 'string' ? v.split(',') : undefined;
    const issues = page.map((i) =>
      model.json.issueJson(i, api(req), {
        fields: asList(params.fields),
        expand: asList(params.expand),
        properties: asList(params.properties),
        defaultFields: ['id'],
      }),
    );
    return json(200, {
      issues,
      isLast,
      ...(isLast
        ? {}
        : {
            nextPageToken: Buffer.from(`offset:${offset + page.length}`).toString('base64url'),
          }),
    });
  };
  r.on(
    'GET',
    new RegExp(`^${P}/search/jql$`),
    guard((req) =>
      search(req, {
        jql: req.query.get('jql'),
        nextPageToken: req.query.get('nextPageToken'),
        maxResults: req.query.get('maxResults'),
        fields: listParam(req.query, 'fields'),
        expand: listParam(req.query, 'expand'),
        properties: listParam(req.query, 'properties'),
      }),
    ),
  );
  r.on(
    'POST',
    new RegExp(`^${P}/search/jql$`),
    guard((req) => search(req, asRecord(req.body))),
  );
  const gone = guard(() =>
    jiraError(410, [
      'The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046',
    ]),
  );
  r.on('GET', new RegExp(`^${P}/search$`), gone);
  r.on('POST', new RegExp(`^${P}/search$`), gone);

  // ------------------------------------------------------------------------------- agile
  r.on(
    'GET',
    /^\/rest\/agile\/1\.0\/epic\/([^/]+)$/,
    guard((req) => {
      const epic = issueOr404(req.params[0]);
      if (epic.issueType !== 'Epic') return jiraError(404, [`Issue ${epic.key} is not an epic.`]);
      return json(200, {
        id: Number(epic.id),
        key: epic.key,
        self: `${baseUrl()}/rest/agile/1.0/epic/${epic.id}`,
        name: epic.summary,
        summary: epic.summary,
        done: statusDef(epic.status)?.category === 'done',
      });
    }),
  );
  r.on(
    'GET',
    /^\/rest\/agile\/1\.0\/epic\/([^/]+)\/issue$/,
    guard((req) => {
      const epic = issueOr404(req.params[0]);
      const startAt = intParam(req.query.get('startAt'), 0);
      const maxResults = intParam(req.query.get('maxResults'), 50);
      const children = model.issues().filter((i) => i.parentKey === epic.key);
      return json(200, {
        expand: 'schema,names',
        startAt,
        maxResults,
        total: children.length,
        issues: children
          .slice(startAt, startAt + maxResults)
          .map((i) => model.json.issueJson(i, 2, { fields: listParam(req.query, 'fields') })),
      });
    }),
  );
  r.on(
    'POST',
    /^\/rest\/agile\/1\.0\/epic\/([^/]+)\/issue$/,
    guard((req) => {
      const epic = issueOr404(req.params[0]);
      if (epic.issueType !== 'Epic') return jiraError(404, [`Issue ${epic.key} is not an epic.`]);
      const keys = asRecord(req.body).issues;
      for (const k of Array.isArray(keys) ? keys : []) {
        const child = issueOr404(String(k));
        model.updateIssue(
          child,
          model.interpret(projectDef(child.project)!, child, { parent: { key: epic.key } }, {}, 3),
          req.actor,
        );
      }
      return json(204);
    }),
  );

  // ------------------------------------------------------------------- service management
  const SD = '/rest/servicedeskapi';
  const requestOr404 = (ref: string | undefined): StoredIssue => {
    const issue = model.issue(ref ?? '');
    if (!issue || issue.project !== SERVICE_DESK.projectKey)
      throw new JiraValidationError({}, [`The request '${ref ?? ''}' does not exist.`], 404);
    return issue;
  };
  const jsm = (fn: (req: JiraRequest) => Reply) => (req: Request) => {
    if (req.bodyError) return jsmError(400, 'The request body must be JSON.');
    try {
      return fn(req as JiraRequest);
    } catch (err) {
      if (err instanceof JiraValidationError) return jsmError(err.status, err.message);
      throw err;
    }
  };
  const deskJson = () => ({
    id: SERVICE_DESK.id,
    projectId: SERVICE_DESK.projectId,
    projectName: SERVICE_DESK.projectName,
    projectKey: SERVICE_DESK.projectKey,
    _links: { self: `${baseUrl()}${SD}/servicedesk/${SERVICE_DESK.id}` },
  });
  const deskOr404 = (id: string | undefined) => {
    if (id !== SERVICE_DESK.id && id !== SERVICE_DESK.projectKey && id !== SERVICE_DESK.projectId) {
      throw new JiraValidationError({}, [`The service desk '${id ?? ''}' does not exist.`], 404);
    }
  };
  r.on(
    'GET',
    new RegExp(`^${SD}/servicedesk$`),
    jsm((req) => json(200, pagedJsm(req, [deskJson()], baseUrl()))),
  );
  r.on(
    'GET',
    new RegExp(`^${SD}/servicedesk/([^/]+)$`),
    jsm((req) => {
      deskOr404(req.params[0]);
      return json(200, deskJson());
    }),
  );
  r.on(
    'GET',
    new RegExp(`^${SD}/servicedesk/([^/]+)/requesttype$`),
    jsm((req) => {
      deskOr404(req.params[0]);
      const q = (req.query.get('searchQuery') ?? '').toLowerCase();
      const types = model.requestTypes.filter((t) => !q || t.name.toLowerCase().includes(q));
      return json(
        200,
        pagedJsm(
          req,
          types.map((t) => model.json.requestTypeJson(t)),
          baseUrl(),
        ),
      );
    }),
  );
  r.on(
    'GET',
    new RegExp(`^${SD}/servicedesk/([^/]+)/organization$`),
    jsm((req) => {
      deskOr404(req.params[0]);
      return json(
        200,
        pagedJsm(
          req,
          model.organizations().map((o) => model.json.organizationJson(o)),
          baseUrl(),
        ),
      );
    }),
  );
  const deskOrg = jsm((req) => {
    deskOr404(req.params[0]);
    const id = String(asRecord(req.body).organizationId ?? '');
    if (!model.organization(id)) return jsmError(404, `The organization with id '${id}' does not exist.`);
    return json(204);
  });
  r.on('POST', new RegExp(`^${SD}/servicedesk/([^/]+)/organization$`), deskOrg);
  r.on(
    'GET',
    new RegExp(`^${SD}/servicedesk/([^/]+)/customer$`),
    jsm((req) => {
      deskOr404(req.params[0]);
      const customers = model
        .deskCustomers()
        .map((id) => model.user(id))
        .filter(Boolean)
        .map((u) => model.json.jsmUserJson(u!));
      return json(200, pagedJsm(req, customers, baseUrl()));
    }),
  );
  r.on(
    'POST',
    new RegExp(`^${SD}/servicedesk/([^/]+)/customer$`),
    jsm((req) => {
      deskOr404(req.params[0]);
      if (!model.isDeskAdmin(req.actor))
        return jsmError(
          403,
          'You do not have permission to add customers to this service project: this needs the Service Desk administrator (Administer Projects) permission.',
        );
      const ids = asRecord(req.body).accountIds;
      if (!Array.isArray(ids)) return jsmError(400, 'accountIds must be an array of account ids.');
      for (const id of ids)
        if (!model.user(String(id))) return jsmError(400, `The user with account ID '${String(id)}' does not exist.`);
      model.addDeskCustomers(ids.map(String));
      return json(204);
    }),
  );
  r.on('DELETE', new RegExp(`^${SD}/servicedesk/([^/]+)/organization$`), deskOrg);
  r.on(
    'GET',
    new RegExp(`^${SD}/organization$`),
    jsm((req) =>
      json(
        200,
        pagedJsm(
          req,
          model.organizations().map((o) => model.json.organizationJson(o)),
          baseUrl(),
        ),
      ),
    ),
  );
  r.on(
    'POST',
    new RegExp(`^${SD}/organization$`),
    jsm((req) => {
      const name = asRecord(req.body).name;
      if (typeof name !== 'string' || !name.trim()) return jsmError(400, 'The organization name must not be empty.');
      return json(201, model.json.organizationJson(model.createOrganization(name.trim())));
    }),
  );
  r.on(
    'GET',
    new RegExp(`^${SD}/organization/([^/]+)$`),
    jsm((req) => {
      const org = model.organization(req.params[0] ?? '');
      return org
        ? json(200, model.json.organizationJson(org))
        : jsmError(404, `The organization with id '${req.params[0] ?? ''}' does not exist.`);
    }),
  );
  r.on(
    'POST',
    new RegExp(`^${SD}/customer$`),
    jsm((req) => {
      const body = asRecord(req.body);
      const email = typeof body.email === 'string' ? body.email.trim() : '';
      if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) return jsmError(400, 'A valid email is required.');
      if (!model.isJiraAdmin(req.actor))
        return jsmError(
          403,
          'You do not have permission to create customers: this needs the Jira Administrator global permission.',
        );
      if (model.userByEmail(email)) return jsmError(400, `An account already exists for this email: ${email}`);
      const u = model.ensureUser(email);
      if (typeof body.displayName === 'string' && body.displayName.trim()) u.displayName = body.displayName.trim();
      return json(201, model.json.jsmUserJson(u));
    }),
  );
  r.on(
    'GET',
    new RegExp(`^${SD}/request/([^/]+)$`),
    jsm((req) => {
      const issue = requestOr404(req.params[0]);
      const reporter = model.user(issue.reporterId);
      const status = statusDef(issue.status)!;
      return json(200, {
        _expands: ['participant', 'status', 'sla', 'requestType', 'serviceDesk', 'attachment', 'action', 'comment'],
        issueId: issue.id,
        issueKey: issue.key,
        requestTypeId: issue.requestTypeId ?? undefined,
        serviceDeskId: SERVICE_DESK.id,
        createdDate: model.json.jsmDate(issue.created),
        reporter: reporter ? model.json.jsmUserJson(reporter) : undefined,
        requestFieldValues: [
          { fieldId: 'summary', label: 'Summary', value: issue.summary },
          {
            fieldId: 'description',
            label: 'Description',
            value: issue.description,
          },
        ],
        currentStatus: {
          status: issue.status,
          statusCategory: status.category === 'new' ? 'NEW' : status.category === 'done' ? 'DONE' : 'INDETERMINATE',
          statusDate: model.json.jsmDate(issue.statusChanged),
        },
        _links: {
          web: `${baseUrl()}/servicedesk/customer/portal/1/${issue.key}`,
          self: `${baseUrl()}${SD}/request/${issue.id}`,
        },
      });
    }),
  );
  r.on(
    'GET',
    new RegExp(`^${SD}/request/([^/]+)/comment$`),
    jsm((req) => {
      const issue = requestOr404(req.params[0]);
      const wantPublic = req.query.get('public') !== 'false';
      const wantInternal = req.query.get('internal') !== 'false';
      const comments = issue.comments.filter((c) => (c.public ? wantPublic : wantInternal));
      return json(
        200,
        pagedJsm(
          req,
          comments.map((c) => model.json.jsmCommentJson(issue, c)),
          baseUrl(),
        ),
      );
    }),
  );
  r.on(
    'POST',
    new RegExp(`^${SD}/request/([^/]+)/comment$`),
    jsm((req) => {
      const issue = requestOr404(req.params[0]);
      const body = asRecord(req.body);
      if (typeof body.body !== 'string' || !body.body.trim())
        return jsmError(400, 'The comment body must not be empty.');
      const isPublic = body.public !== false;
      if (!isPublic && !req.actor.staff)
        return jsmError(403, 'You do not have permission to create internal comments on this request.');
      const c = model.addComment(issue, req.actor, body.body, isPublic);
      return json(201, model.json.jsmCommentJson(issue, c));
    }),
  );
  const participants = (issue: StoredIssue, req: Request) =>
    pagedJsm(
      req,
      issue.participants
        .map((id) => model.user(id))
        .filter(Boolean)
        .map((u) => model.json.jsmUserJson(u!)),
      baseUrl(),
    );
  r.on(
    'GET',
    new RegExp(`^${SD}/request/([^/]+)/participant$`),
    jsm((req) => json(200, participants(requestOr404(req.params[0]), req))),
  );
  const changeParticipants = (add: boolean) =>
    jsm((req) => {
      const issue = requestOr404(req.params[0]);
      const ids = asRecord(req.body).accountIds;
      if (!Array.isArray(ids)) return jsmError(400, 'accountIds must be an array of account ids.');
      for (const id of ids)
        if (!model.user(String(id))) return jsmError(400, `The user with account ID '${String(id)}' does not exist.`);
      if (add)
        for (const id of ids) if (!model.mayUseDesk(String(id))) return jsmError(400, notCustomer(model, String(id)));
      const next = add
        ? [...new Set([...issue.participants, ...ids.map(String)])]
        : issue.participants.filter((p) => !ids.map(String).includes(p));
      model.updateIssue(issue, { participants: next }, req.actor);
      return json(200, participants(issue, { ...req, query: new URLSearchParams() }));
    });
  r.on('POST', new RegExp(`^${SD}/request/([^/]+)/participant$`), changeParticipants(true));
  r.on('DELETE', new RegExp(`^${SD}/request/([^/]+)/participant$`), changeParticipants(false));

  return r;
}
