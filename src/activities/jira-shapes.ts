/**
 * Reading Jira's JSON in the activities: loose accessors (Jira answers vary by site and API version),
 * JQL literals, entity properties, users and issue links.
 */
import type { IssueLink } from './contract';

/** Entity property holding the idempotency key on comments and created issues. */
export const OP_PROPERTY = 'deskflow';
/** JSM's comment property: {internal: true} makes a comment an internal note. */
export const SD_PUBLIC_COMMENT = 'sd.public.comment';

export type Json = Record<string, unknown>;

export function obj(v: unknown): Json {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {};
}
export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
export function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}
export function iso(v: unknown): string {
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'string') {
    const d = new Date(v);
    return Number.isNaN(d.getTime()) ? v : d.toISOString();
  }
  return '';
}
export function sameName(a: unknown, b: string): boolean {
  return typeof a === 'string' && a.trim().toLowerCase() === b.trim().toLowerCase();
}
/** JQL string literal. */
export function jqlString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
export function projectOf(key: string): string {
  return key.replace(/-\d+$/, '');
}
export function propertyValue(properties: unknown, key: string): Json | undefined {
  if (Array.isArray(properties)) {
    const p = properties.find((x) => obj(x).key === key);
    return p ? obj(obj(p).value) : undefined;
  }
  const record = obj(properties);
  return key in record ? obj(record[key]) : undefined;
}
export function userEmail(u: unknown): string | null {
  const user = obj(u);
  return str(user.emailAddress) ?? str(user.accountId);
}

/** The links in an issue's `issuelinks` field, with the other issue's project and status. */
export function linksOf(fields: Json): IssueLink[] {
  return arr(fields.issuelinks).map((l) => {
    const link = obj(l);
    const outward = link.outwardIssue !== undefined;
    const other = obj(outward ? link.outwardIssue : link.inwardIssue);
    const key = String(other.key ?? '');
    return {
      type: String(obj(link.type).name ?? ''),
      direction: outward ? 'outward' : 'inward',
      key,
      project: str(obj(obj(other.fields).project).key) ?? projectOf(key),
      status: str(obj(obj(other.fields).status).name) ?? '',
    };
  });
}
