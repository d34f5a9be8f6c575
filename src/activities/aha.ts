/**
 * Aha! activities over a small typed fetch wrapper (no well-kept client exists). An idea is tagged with
 * a tag derived from the workflow's opKey and searched for by that tag first, so a retry never logs a
 * second idea.
 */
import { createHash } from 'node:crypto';
import type { CreateAhaIdeaInput, CreateAhaIdeaResult } from './contract';
import type { ActivityDeps, AhaConnection } from './clients';
import { AhaHttpError, AhaNetworkError, ahaFailure, activityLog, type ErrorContext } from './errors';

export interface AhaIdea {
  id: string;
  reference_num: string;
  name: string;
  url: string;
  tags?: string[] | string;
  created_at?: string;
}

interface AhaIdeaList {
  ideas: AhaIdea[];
  pagination?: {
    total_records?: number;
    total_pages?: number;
    current_page?: number;
  };
}

/** The few Aha! calls deskflow makes. */
export interface AhaClient {
  createIdea(
    productId: string,
    idea: { name: string; description: string; tags: string[]; createdBy: string },
  ): Promise<AhaIdea>;
  listIdeas(
    productId: string,
    query: { tag?: string; q?: string; page?: number; perPage?: number },
  ): Promise<AhaIdeaList>;
}

function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

export function createAhaClient(conn: AhaConnection): AhaClient {
  const base = conn.baseUrl.replace(/\/+$/, '');

  async function request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${conn.token}`,
          Accept: 'application/json',
          ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (err) {
      // fetch rejects only when no response arrived: DNS, refused or reset connection, timeout.
      throw new AhaNetworkError(err);
    }
    const text = await res.text();
    let data: unknown = text;
    try {
      data = text ? JSON.parse(text) : undefined;
    } catch {
      // keep the text
    }
    if (!res.ok) throw new AhaHttpError(res.status, data, retryAfterMs(res.headers.get('retry-after')));
    return data as T;
  }

  return {
    async createIdea(productId, idea) {
      // Aha! takes tags as one comma-separated string.
      const res = await request<{ idea: AhaIdea }>('POST', `/products/${encodeURIComponent(productId)}/ideas`, {
        idea: {
          name: idea.name,
          description: idea.description,
          tags: idea.tags.join(','),
          created_by: idea.createdBy,
        },
      });
      return res.idea;
    },
    async listIdeas(productId, query) {
      const params = new URLSearchParams();
      if (query.tag) params.set('tag', query.tag);
      if (query.q) params.set('q', query.q);
      if (query.page) params.set('page', String(query.page));
      if (query.perPage) params.set('per_page', String(query.perPage));
      const res = await request<AhaIdeaList>(
        'GET',
        `/products/${encodeURIComponent(productId)}/ideas?${params.toString()}`,
      );
      return {
        ideas: res.ideas ?? [],
        ...(res.pagination ? { pagination: res.pagination } : {}),
      };
    },
  };
}

/** The Aha! tag that marks the idea created for an opKey (short, stable, tag-safe). */
export function ahaTagForOpKey(opKey: string): string {
  return `deskflow-${createHash('sha256').update(opKey).digest('hex').slice(0, 16)}`;
}

function hasTag(idea: AhaIdea, tag: string): boolean {
  // The list answer may omit tags; the server already filtered by tag then.
  if (idea.tags === undefined) return true;
  const tags = Array.isArray(idea.tags) ? idea.tags : idea.tags.split(',');
  return tags.some((t) => t.trim().toLowerCase() === tag);
}

export function createAhaActivities(
  deps: Pick<ActivityDeps, 'config' | 'aha'>,
  client: AhaClient = createAhaClient(deps.aha),
) {
  const productId = deps.config.aha.productId;

  /**
   * Logs a feature request as an idea in the configured product and returns its URL, which the
   * workflow puts in an internal comment.
   */
  async function createAhaIdea({
    opKey,
    name,
    description,
    ticketKey,
  }: CreateAhaIdeaInput): Promise<CreateAhaIdeaResult> {
    const tag = ahaTagForOpKey(opKey);
    const ctx: ErrorContext = {
      ticket: ticketKey,
      action: `create Aha! idea in product ${productId}`,
      fields: { name: { name: 'name', value: name } },
    };
    try {
      const existing = (await client.listIdeas(productId, { tag, perPage: 20 })).ideas.find((i) => hasTag(i, tag));
      if (existing) {
        activityLog('info', 'Aha! idea already created', {
          opKey,
          referenceNum: existing.reference_num,
        });
        return { url: existing.url, referenceNum: existing.reference_num };
      }
      const idea = await client.createIdea(productId, {
        name,
        description,
        tags: [tag, ticketKey],
        createdBy: deps.config.aha.createdBy,
      });
      return { url: idea.url, referenceNum: idea.reference_num };
    } catch (err) {
      throw ahaFailure(err, ctx);
    }
  }

  return { createAhaIdea };
}

export type AhaActivities = ReturnType<typeof createAhaActivities>;
