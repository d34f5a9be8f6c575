/**
 * The sandbox Jira's JSON: issues, fields, comments, users and the catalogue in the shapes Jira Cloud
 * and JSM return them (REST v2 and v3, the servicedeskapi, webhooks).
 */
import { textToAdf } from '../shared/adf';
import {
  accountTypeOf,
  CF,
  issueTypeDef,
  LINK_TYPES,
  NEEDS_CONFIGURATION_OPTIONS,
  PRIORITIES,
  projectDef,
  RESOLUTIONS,
  SERVICE_DESK,
  STATUS_CATEGORIES,
  statusDef,
  type ProjectDef,
  type StoredAttachment,
  type StoredComment,
  type StoredIssue,
  type StoredUser,
} from './state';
import { availableTransitions } from './jira-workflow';
import { CUSTOM_SCHEMAS, EDITABLE, escapeHtml, FIELD_NAMES, jiraTime, type Api, type JiraLookup } from './jira-fields';

export class JiraJson {
  constructor(private readonly m: JiraLookup) {}

  userJson(u: StoredUser, api: Api = 3): Record<string, unknown> {
    const base = this.m.baseUrl();
    return {
      self: `${base}/rest/api/${api}/user?accountId=${encodeURIComponent(u.accountId)}`,
      accountId: u.accountId,
      accountType: accountTypeOf(u),
      ...(accountTypeOf(u) === 'app' ? {} : { emailAddress: u.email }),
      avatarUrls: {
        '48x48': `${base}/avatar/${u.accountId}/48`,
        '24x24': `${base}/avatar/${u.accountId}/24`,
        '16x16': `${base}/avatar/${u.accountId}/16`,
        '32x32': `${base}/avatar/${u.accountId}/32`,
      },
      displayName: u.displayName,
      active: true,
      timeZone: 'America/Los_Angeles',
      locale: 'en_US',
    };
  }

  /** The account a `[~accountid:ID]` mention names, as Jira shows it. */
  mentionTarget(ref: string): { id: string; text: string } | undefined {
    if (!ref.startsWith('accountid:')) return undefined;
    const u = this.m.user(ref.slice('accountid:'.length));
    return u ? { id: u.accountId, text: `@${u.displayName}` } : undefined;
  }

  jsmUserJson(u: StoredUser): Record<string, unknown> {
    const base = this.m.baseUrl();
    return {
      accountId: u.accountId,
      ...(accountTypeOf(u) === 'app' ? {} : { emailAddress: u.email }),
      displayName: u.displayName,
      active: true,
      timeZone: 'America/Los_Angeles',
      _links: {
        jiraRest: `${base}/rest/api/2/user?accountId=${encodeURIComponent(u.accountId)}`,
        avatarUrls: { '48x48': `${base}/avatar/${u.accountId}/48` },
        self: `${base}/rest/api/2/user?accountId=${encodeURIComponent(u.accountId)}`,
      },
    };
  }

  componentJson(c: { id: string; project: string; name: string }): Record<string, unknown> {
    return {
      self: `${this.m.baseUrl()}/rest/api/3/component/${c.id}`,
      id: c.id,
      name: c.name,
      description: '',
      assigneeType: 'PROJECT_DEFAULT',
      isAssigneeTypeValid: false,
      project: c.project,
      projectId: Number(projectDef(c.project)!.id),
    };
  }

  organizationJson(org: { id: string; name: string }): Record<string, unknown> {
    return {
      id: org.id,
      name: org.name,
      _links: {
        self: `${this.m.baseUrl()}/rest/servicedeskapi/organization/${org.id}`,
      },
    };
  }

  statusJson(name: string): Record<string, unknown> {
    const s = statusDef(name)!;
    const cat = STATUS_CATEGORIES[s.category];
    const base = this.m.baseUrl();
    return {
      self: `${base}/rest/api/3/status/${s.id}`,
      description: '',
      iconUrl: `${base}/images/icons/statuses/generic.png`,
      name: s.name,
      id: s.id,
      statusCategory: {
        self: `${base}/rest/api/3/statuscategory/${cat.id}`,
        id: cat.id,
        key: s.category,
        colorName: cat.colorName,
        name: cat.name,
      },
    };
  }

  /** The transitions the issue can take now; with `withFields` (expand=transitions.fields) their screens' fields. */
  transitionsJson(issue: StoredIssue, withFields = false): Record<string, unknown>[] {
    return availableTransitions(this.m.workflows, issue).map((t) => ({
      id: t.id,
      name: t.name,
      to: this.statusJson(t.to),
      hasScreen: t.screen.length > 0,
      isGlobal: false,
      isInitial: false,
      isAvailable: true,
      isConditional: false,
      isLooped: false,
      ...(withFields ? { fields: Object.fromEntries(t.screen.map((f) => [f, this.screenFieldJson(f)])) } : {}),
    }));
  }

  private screenFieldJson(field: 'resolution' | 'comment'): Record<string, unknown> {
    if (field === 'comment')
      return {
        required: false,
        schema: { type: 'comments-page', system: 'comment' },
        name: 'Comment',
        key: 'comment',
        operations: ['add', 'edit', 'remove'],
      };
    return {
      required: true,
      schema: { type: 'resolution', system: 'resolution' },
      name: 'Resolution',
      key: 'resolution',
      operations: ['set'],
      allowedValues: RESOLUTIONS.map((r) => this.resolutionJson(r.name)),
    };
  }

  projectJson(p: ProjectDef): Record<string, unknown> {
    const base = this.m.baseUrl();
    return {
      self: `${base}/rest/api/3/project/${p.id}`,
      id: p.id,
      key: p.key,
      name: p.name,
      projectTypeKey: p.projectTypeKey,
      simplified: false,
      avatarUrls: { '48x48': `${base}/avatar/project/${p.id}` },
    };
  }

  issueTypeJson(name: string): Record<string, unknown> {
    const t = issueTypeDef(name)!;
    const base = this.m.baseUrl();
    return {
      self: `${base}/rest/api/3/issuetype/${t.id}`,
      id: t.id,
      description: t.description,
      iconUrl: `${base}/images/icons/issuetypes/${t.id}.png`,
      name: t.name,
      subtask: false,
      hierarchyLevel: t.hierarchyLevel,
    };
  }

  priorityJson(name: string): Record<string, unknown> {
    const p = PRIORITIES.find((x) => x.name === name)!;
    return {
      self: `${this.m.baseUrl()}/rest/api/3/priority/${p.id}`,
      iconUrl: `${this.m.baseUrl()}/images/icons/priorities/${p.id}.svg`,
      name: p.name,
      id: p.id,
    };
  }

  resolutionJson(name: string): Record<string, unknown> {
    const r = RESOLUTIONS.find((x) => x.name === name)!;
    return {
      self: `${this.m.baseUrl()}/rest/api/3/resolution/${r.id}`,
      id: r.id,
      description: r.description,
      name: r.name,
    };
  }

  linkTypeJson(t: (typeof LINK_TYPES)[number]): Record<string, unknown> {
    return {
      id: t.id,
      name: t.name,
      inward: t.inward,
      outward: t.outward,
      self: `${this.m.baseUrl()}/rest/api/3/issueLinkType/${t.id}`,
    };
  }

  private linkedIssueJson(i: StoredIssue, api: Api): Record<string, unknown> {
    return {
      id: i.id,
      key: i.key,
      self: `${this.m.baseUrl()}/rest/api/${api}/issue/${i.id}`,
      fields: {
        summary: i.summary,
        status: this.statusJson(i.status),
        priority: i.priority ? this.priorityJson(i.priority) : null,
        issuetype: this.issueTypeJson(i.issueType),
        project: this.projectJson(projectDef(i.project)!),
      },
    };
  }

  issueLinksJson(issue: StoredIssue, api: Api): Record<string, unknown>[] {
    const out: Record<string, unknown>[] = [];
    for (const l of this.m.links()) {
      const type = LINK_TYPES.find((t) => t.name === l.type)!;
      const base = {
        id: l.id,
        self: `${this.m.baseUrl()}/rest/api/${api}/issueLink/${l.id}`,
        type: this.linkTypeJson(type),
      };
      if (l.source === issue.key) {
        const other = this.m.issue(l.dest);
        if (other) out.push({ ...base, outwardIssue: this.linkedIssueJson(other, api) });
      } else if (l.dest === issue.key) {
        const other = this.m.issue(l.source);
        if (other) out.push({ ...base, inwardIssue: this.linkedIssueJson(other, api) });
      }
    }
    return out;
  }

  /** An attachment as the issue's `attachment` field and the attachments endpoints show it. */
  attachmentJson(a: StoredAttachment, api: Api = 3): Record<string, unknown> {
    const author = this.m.user(a.authorId);
    const base = `${this.m.baseUrl()}/rest/api/${api}/attachment`;
    return {
      self: `${base}/${a.id}`,
      id: a.id,
      filename: a.filename,
      ...(author ? { author: this.userJson(author, api) } : {}),
      created: jiraTime(a.created),
      size: a.size,
      mimeType: a.mimeType,
      content: `${base}/content/${a.id}`,
    };
  }

  commentJson(issue: StoredIssue, c: StoredComment, api: Api, withProperties: boolean): Record<string, unknown> {
    const author = this.m.user(c.authorId);
    const json: Record<string, unknown> = {
      self: `${this.m.baseUrl()}/rest/api/${api}/issue/${issue.id}/comment/${c.id}`,
      id: c.id,
      author: author ? this.userJson(author, api) : undefined,
      // v3: an ADF document with a mention node per `[~accountid:ID]`; v2 and webhooks: Jira's wiki text.
      body: api === 3 ? textToAdf(c.body, (ref) => this.mentionTarget(ref)) : c.body,
      updateAuthor: author ? this.userJson(author, api) : undefined,
      created: jiraTime(c.created),
      updated: jiraTime(c.updated),
      jsdPublic: c.public,
    };
    if (withProperties)
      json.properties = Object.entries(c.properties).map(([key, value]) => ({
        key,
        value,
      }));
    return json;
  }

  jsmDate(iso: string): Record<string, unknown> {
    const d = new Date(iso);
    return {
      iso8601: jiraTime(iso),
      jira: jiraTime(iso),
      friendly: d.toUTCString(),
      epochMillis: d.getTime(),
    };
  }

  jsmCommentJson(issue: StoredIssue, c: StoredComment): Record<string, unknown> {
    const author = this.m.user(c.authorId);
    return {
      _expands: ['attachment', 'renderedBody'],
      id: c.id,
      body: c.body,
      public: c.public,
      author: author ? this.jsmUserJson(author) : undefined,
      created: this.jsmDate(c.created),
      _links: {
        self: `${this.m.baseUrl()}/rest/servicedeskapi/request/${issue.id}/comment/${c.id}`,
      },
    };
  }

  requestTypeJson(rt: { id: string; name: string }): Record<string, unknown> {
    return {
      _expands: ['field'],
      id: rt.id,
      _links: {
        self: `${this.m.baseUrl()}/rest/servicedeskapi/servicedesk/${SERVICE_DESK.id}/requesttype/${rt.id}`,
      },
      name: rt.name,
      description: '',
      helpText: '',
      issueTypeId: issueTypeDef('Service Request')!.id,
      serviceDeskId: SERVICE_DESK.id,
      portalId: SERVICE_DESK.id,
      groupIds: ['1'],
      restrictionStatus: 'OPEN',
    };
  }

  /** Every field of an issue, in the shape GET issue returns. */
  allFields(issue: StoredIssue, api: Api): Record<string, unknown> {
    const u = (id: string | null) => {
      const user = this.m.user(id);
      return user ? this.userJson(user, api) : null;
    };
    const rt = this.m.requestTypes.find((r) => r.id === issue.requestTypeId);
    const parent = issue.parentKey ? this.m.issue(issue.parentKey) : undefined;
    const status = statusDef(issue.status)!;
    const nc = NEEDS_CONFIGURATION_OPTIONS.find((o) => o.value === issue.needsConfiguration);
    const visible = issue.comments;
    const fields: Record<string, unknown> = {
      summary: issue.summary,
      description: issue.description ? (api === 3 ? textToAdf(issue.description) : issue.description) : null,
      status: this.statusJson(issue.status),
      project: this.projectJson(projectDef(issue.project)!),
      issuetype: this.issueTypeJson(issue.issueType),
      reporter: u(issue.reporterId),
      assignee: u(issue.assigneeId),
      creator: u(issue.creatorId),
      priority: issue.priority ? this.priorityJson(issue.priority) : null,
      labels: [...issue.labels],
      components: issue.components.map((name) => {
        const c = this.m.components(issue.project).find((x) => x.name === name);
        return {
          self: `${this.m.baseUrl()}/rest/api/${api}/component/${c?.id ?? ''}`,
          id: c?.id ?? '',
          name,
        };
      }),
      resolution: issue.resolution ? this.resolutionJson(issue.resolution) : null,
      resolutiondate: issue.resolutionDate ? jiraTime(issue.resolutionDate) : null,
      created: jiraTime(issue.created),
      updated: jiraTime(issue.updated),
      statuscategorychangedate: jiraTime(issue.statusChanged),
      issuelinks: this.issueLinksJson(issue, api),
      watches: {
        self: `${this.m.baseUrl()}/rest/api/${api}/issue/${issue.key}/watchers`,
        watchCount: issue.watchers.length,
        isWatching: false,
      },
      comment: {
        comments: visible.map((c) => this.commentJson(issue, c, api, false)),
        self: `${this.m.baseUrl()}/rest/api/${api}/issue/${issue.id}/comment`,
        maxResults: visible.length,
        total: visible.length,
        startAt: 0,
      },
      attachment: issue.attachments.map((a) => this.attachmentJson(a, api)),
      [CF.requestType]: rt
        ? {
            _links: {
              self: `${this.m.baseUrl()}/rest/servicedeskapi/request/${issue.id}`,
            },
            requestType: this.requestTypeJson(rt),
            currentStatus: {
              status: issue.status,
              statusCategory: status.category === 'new' ? 'NEW' : status.category === 'done' ? 'DONE' : 'INDETERMINATE',
              statusDate: this.jsmDate(issue.statusChanged),
            },
          }
        : null,
      [CF.organizations]: issue.organizationIds
        .map((id) => this.m.organization(id))
        .filter(Boolean)
        .map((o) => this.organizationJson(o!)),
      [CF.participants]: issue.participants.map((id) => u(id)).filter(Boolean),
      [CF.needsConfiguration]: nc
        ? {
            self: `${this.m.baseUrl()}/rest/api/${api}/customFieldOption/${nc.id}`,
            value: nc.value,
            id: nc.id,
          }
        : null,
      [CF.qaAssignee]: u(issue.qaAssigneeId),
    };
    if (parent) fields.parent = this.linkedIssueJson(parent, api);
    return fields;
  }

  /** Which fields a `fields=` parameter selects (`*all`, `*navigable`, names, `-name`). */
  selectFields(all: Record<string, unknown>, spec: string[] | undefined, fallback: string[]): Record<string, unknown> {
    const parts = (spec && spec.length ? spec : fallback)
      .flatMap((s) => s.split(','))
      .map((s) => s.trim())
      .filter(Boolean);
    const include = new Set<string>();
    const exclude = new Set<string>();
    for (const p of parts) {
      if (p === '*all' || p === '*navigable') Object.keys(all).forEach((k) => include.add(k));
      else if (p.startsWith('-')) exclude.add(p.slice(1));
      else include.add(p);
    }
    if (parts.includes('*navigable')) {
      include.delete('comment');
      include.delete('attachment');
    }
    const out: Record<string, unknown> = {};
    for (const k of include) if (!exclude.has(k) && k in all) out[k] = all[k];
    return out;
  }

  issueJson(
    issue: StoredIssue,
    api: Api,
    opts: {
      fields?: string[];
      expand?: string[];
      properties?: string[];
      defaultFields?: string[];
    } = {},
  ): Record<string, unknown> {
    const fallback = opts.defaultFields ?? ['*all'];
    const spec = opts.fields && opts.fields.length ? opts.fields : fallback;
    const onlyId = spec.flatMap((s) => s.split(',')).every((s) => s.trim() === 'id');
    if (onlyId) return { id: issue.id };
    const json: Record<string, unknown> = {
      expand: 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations',
      id: issue.id,
      self: `${this.m.baseUrl()}/rest/api/${api}/issue/${issue.id}`,
      key: issue.key,
      fields: this.selectFields(this.allFields(issue, api), spec, fallback),
    };
    const expand = (opts.expand ?? []).flatMap((e) => e.split(',')).map((e) => e.trim());
    if (expand.includes('names')) {
      json.names = Object.fromEntries(Object.keys(json.fields as object).map((k) => [k, FIELD_NAMES[k] ?? k]));
    }
    if (expand.some((e) => e === 'transitions' || e.startsWith('transitions.')))
      json.transitions = this.transitionsJson(issue, expand.includes('transitions.fields'));
    if (expand.includes('changelog')) {
      const histories = issue.changelog.map((e) => ({
        id: e.id,
        author: this.m.user(e.authorId) ? this.userJson(this.m.user(e.authorId)!, api) : undefined,
        created: jiraTime(e.created),
        items: e.items,
      }));
      json.changelog = {
        startAt: 0,
        maxResults: histories.length,
        total: histories.length,
        histories,
      };
    }
    if (expand.includes('renderedFields')) {
      json.renderedFields = {
        description: issue.description ? `<p>${escapeHtml(issue.description)}</p>` : null,
      };
    }
    const props = (opts.properties ?? [])
      .flatMap((p) => p.split(','))
      .map((p) => p.trim())
      .filter(Boolean);
    if (props.length) {
      json.properties = Object.fromEntries(
        Object.entries(issue.properties).filter(([k]) => props.includes('*all') || props.includes(k)),
      );
    }
    return json;
  }

  /**
   * The issue in a comment webhook: Jira Cloud trims `fields` to summary, issuetype, project, assignee,
   * priority and status.
   */
  commentWebhookIssue(issue: StoredIssue): Record<string, unknown> {
    const full = this.webhookIssue(issue);
    const fields = full.fields as Record<string, unknown>;
    const keep = ['summary', 'issuetype', 'project', 'assignee', 'priority', 'status'];
    return { ...full, fields: Object.fromEntries(keep.map((k) => [k, fields[k] ?? null])) };
  }

  /** The issue in a webhook: the REST v2 shape (plain-text description) without the comment list. */
  webhookIssue(issue: StoredIssue): Record<string, unknown> {
    const fields = this.allFields(issue, 2);
    delete fields.comment;
    return {
      id: issue.id,
      self: `${this.m.baseUrl()}/rest/api/2/issue/${issue.id}`,
      key: issue.key,
      fields,
    };
  }

  fieldCatalogue(): Record<string, unknown>[] {
    return Object.entries(FIELD_NAMES).map(([id, name]) => {
      const custom = id.startsWith('customfield_');
      const schema = custom
        ? {
            type: CUSTOM_SCHEMAS[id]!.type,
            ...(CUSTOM_SCHEMAS[id]!.items ? { items: CUSTOM_SCHEMAS[id]!.items } : {}),
            custom: CUSTOM_SCHEMAS[id]!.custom,
            customId: Number(id.split('_')[1]),
          }
        : {
            type:
              id === 'labels' || id === 'components' || id === 'issuelinks' || id === 'attachment' ? 'array' : 'string',
            system: id,
          };
      return {
        id,
        key: id,
        name,
        custom,
        orderable: EDITABLE.has(id),
        navigable: true,
        searchable: true,
        clauseNames: custom ? [`cf[${id.split('_')[1]}]`, name] : [id],
        schema,
      };
    });
  }
}
