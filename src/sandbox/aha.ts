/**
 * Aha!'s ideas API under /aha/api/v1/ (Bearer token): create an idea in a product, list a
 * product's ideas filtered by tag and name (paged), read one idea by id or reference number.
 */
import { asRecord, intParam, json, type Reply, type Request } from './http';
import type { StoredIdea, StoredState } from './state';

export interface AhaOptions {
  now: () => Date;
  /** e.g. https://sighten.aha.io */
  siteUrl: string;
  changed: () => void;
}

const STATUS = {
  id: '6776542798120431233',
  name: 'Needs review',
  position: 1,
  complete: false,
  color: '#dce7f9',
};

export class AhaService {
  constructor(
    private state: StoredState,
    private readonly o: AhaOptions,
  ) {}

  replaceState(state: StoredState): void {
    this.state = state;
  }

  url(idea: StoredIdea): string {
    return `${this.o.siteUrl}/ideas/ideas/${idea.referenceNum}`;
  }

  private summaryJson(i: StoredIdea): Record<string, unknown> {
    return {
      id: i.id,
      reference_num: i.referenceNum,
      name: i.name,
      created_at: i.created,
      workflow_status: STATUS,
      url: this.url(i),
      resource: `${this.o.siteUrl}/api/v1/ideas/${i.referenceNum}`,
      product_id: i.productId,
    };
  }

  private fullJson(i: StoredIdea): Record<string, unknown> {
    return {
      ...this.summaryJson(i),
      updated_at: i.created,
      status_changed_at: i.created,
      votes: 1,
      initial_votes: 0,
      score: 0,
      visibility: 'Visible to all ideas portal users',
      description: {
        id: `${i.id}1`,
        body: i.description,
        created_at: i.created,
        attachments: [],
      },
      tags: [...i.tags],
      categories: [],
      created_by_user: i.createdBy ? { email: i.createdBy } : null,
      integration_fields: [],
      custom_fields: [],
      comments_count: 0,
      endorsements_count: 0,
    };
  }

  handle(req: Request): Reply {
    const auth = String(req.headers.authorization ?? '');
    if (!/^Bearer\s+\S+/i.test(auth))
      return json(401, {
        error: 'Unauthorized',
        error_description: 'A valid API key or OAuth token is required.',
      });
    if (req.bodyError)
      return json(400, {
        errors: { message: 'The request body must be JSON.' },
      });
    const path = req.path.replace(/^\/aha\/api\/v1/, '');
    let m = /^\/products\/([^/]+)\/ideas$/.exec(path);
    if (m && req.method === 'POST') return this.create(decodeURIComponent(m[1]!), asRecord(asRecord(req.body).idea));
    if (m && req.method === 'GET') return this.list(decodeURIComponent(m[1]!), req);
    m = /^\/ideas\/([^/]+)$/.exec(path);
    if (m && req.method === 'GET') {
      const ref = decodeURIComponent(m[1]!);
      const idea = this.state.aha.find((i) => i.id === ref || i.referenceNum.toLowerCase() === ref.toLowerCase());
      return idea ? json(200, { idea: this.fullJson(idea) }) : json(404, { error: 'Record not found' });
    }
    return json(404, { error: 'Not found' });
  }

  private create(productId: string, body: Record<string, unknown>): Reply {
    const name = typeof body.name === 'string' ? body.name.trim() : '';
    if (!name) return json(400, { errors: { message: "Name can't be blank" } });
    // Aha! documents created_by (the e-mail of the idea's creator) as required.
    if (typeof body.created_by !== 'string' || !body.created_by.trim())
      return json(400, { errors: { message: "Created by can't be blank" } });
    const rawTags = body.tags;
    const tags = (Array.isArray(rawTags) ? rawTags.map(String) : typeof rawTags === 'string' ? rawTags.split(',') : [])
      .map((t) => t.trim())
      .filter(Boolean);
    const n = (this.state.counters.idea ?? 0) + 1;
    this.state.counters.idea = n;
    const idea: StoredIdea = {
      id: String(6_800_000_000_000_000_000n + BigInt(n)),
      productId,
      referenceNum: `${productId.toUpperCase()}-I-${n}`,
      name,
      description: typeof body.description === 'string' ? body.description : '',
      tags: [...new Set(tags)],
      createdBy: typeof body.created_by === 'string' ? body.created_by : null,
      created: this.o.now().toISOString(),
    };
    this.state.aha.push(idea);
    this.o.changed();
    return json(200, { idea: this.fullJson(idea) });
  }

  private list(productId: string, req: Request): Reply {
    const tag = req.query.get('tag');
    const q = (req.query.get('q') ?? '').toLowerCase();
    const perPage = Math.min(200, Math.max(1, intParam(req.query.get('per_page'), 30)));
    const page = Math.max(1, intParam(req.query.get('page'), 1));
    const all = this.state.aha
      .filter((i) => i.productId.toLowerCase() === productId.toLowerCase())
      .filter((i) => !tag || i.tags.some((t) => t.toLowerCase() === tag.toLowerCase()))
      .filter((i) => !q || i.name.toLowerCase().includes(q))
      .reverse();
    const ideas = all.slice((page - 1) * perPage, page * perPage);
    return json(200, {
      ideas: ideas.map((i) => this.summaryJson(i)),
      pagination: {
        total_records: all.length,
        total_pages: Math.max(1, Math.ceil(all.length / perPage)),
        current_page: page,
      },
    });
  }
}
