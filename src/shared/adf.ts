/**
 * Plain text ⇄ Atlassian Document Format, simply: blank lines separate paragraphs, single line
 * breaks become hardBreaks. Shared by the Jira activities (v3 bodies), the relay (webhook bodies)
 * and the sandbox (which stores plain text and speaks ADF on its v3 endpoints).
 */

export type AdfDoc = {
  type: 'doc';
  version: 1;
  content: AdfNode[];
};

type AdfNode = {
  type: string;
  text?: string;
  attrs?: Record<string, unknown>;
  content?: AdfNode[];
};

/** A mention's account id and the text Jira shows for it ("@Display Name"). */
export interface MentionTarget {
  id: string;
  text: string;
}

/** Jira's wiki mention markup: `[~accountid:ID]`, or `[~someone@example.com]` as deskflow writes it. */
export const MENTION_MARKUP = /\[~([^\]\s]+)\]/g;

/**
 * Plain text as a v3 document. With `mention`, every `[~REF]` it resolves becomes an ADF mention node of
 * that account (Jira notifies the person); unresolved ones stay text.
 */
export function textToAdf(text: string, mention?: (ref: string) => MentionTarget | undefined): AdfDoc {
  const paragraphs = text.replace(/\r\n/g, '\n').split(/\n{2,}/);
  return {
    type: 'doc',
    version: 1,
    content: paragraphs.map((p) => {
      const lines = p.split('\n');
      const content: AdfNode[] = [];
      lines.forEach((line, i) => {
        if (i > 0) content.push({ type: 'hardBreak' });
        if (line) content.push(...inlineText(line, mention));
      });
      return { type: 'paragraph', content };
    }),
  };
}

function inlineText(line: string, mention?: (ref: string) => MentionTarget | undefined): AdfNode[] {
  if (!mention) return [{ type: 'text', text: line }];
  const out: AdfNode[] = [];
  let last = 0;
  for (const m of line.matchAll(MENTION_MARKUP)) {
    const target = mention(m[1]!);
    if (!target) continue;
    if (m.index > last) out.push({ type: 'text', text: line.slice(last, m.index) });
    out.push({ type: 'mention', attrs: { id: target.id, text: target.text, accessLevel: '' } });
    last = m.index + m[0].length;
  }
  if (last < line.length) out.push({ type: 'text', text: line.slice(last) });
  return out;
}

/** The account ids a document mentions, in order, without repeats. */
export function adfMentions(doc: unknown): string[] {
  const ids = new Set<string>();
  const walk = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    const n = node as AdfNode;
    if (n.type === 'mention' && typeof n.attrs?.id === 'string') ids.add(n.attrs.id);
    for (const child of n.content ?? []) walk(child);
  };
  walk(doc);
  return [...ids];
}

/** A document with each mention node written as Jira's wiki markup `[~accountid:ID]` (how Jira stores it). */
export function mentionsAsMarkup(doc: AdfDoc): AdfDoc {
  const map = (node: AdfNode): AdfNode =>
    node.type === 'mention' && typeof node.attrs?.id === 'string'
      ? { type: 'text', text: `[~accountid:${node.attrs.id}]` }
      : node.content
        ? { ...node, content: node.content.map(map) }
        : node;
  return { ...doc, content: doc.content.map(map) };
}

export function isAdfDoc(value: unknown): value is AdfDoc {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { type?: unknown }).type === 'doc' &&
    Array.isArray((value as { content?: unknown }).content)
  );
}

const BLOCKS = new Set([
  'paragraph',
  'heading',
  'blockquote',
  'codeBlock',
  'panel',
  'rule',
  'bulletList',
  'orderedList',
  'table',
]);

function inline(node: AdfNode): string {
  switch (node.type) {
    case 'text':
      return node.text ?? '';
    case 'hardBreak':
      return '\n';
    case 'mention':
      return String(node.attrs?.text ?? `@${String(node.attrs?.id ?? '')}`);
    case 'emoji':
      return String(node.attrs?.text ?? node.attrs?.shortName ?? '');
    case 'inlineCard':
      return String(node.attrs?.url ?? '');
    case 'listItem':
      return '- ' + blocks(node.content ?? []).replace(/\n\n/g, '\n');
    default:
      return node.content ? blocks(node.content) : '';
  }
}

function blocks(nodes: AdfNode[]): string {
  const parts: string[] = [];
  let run = '';
  for (const node of nodes) {
    if (BLOCKS.has(node.type)) {
      if (run) parts.push(run);
      run = '';
      if (node.type === 'bulletList' || node.type === 'orderedList') {
        parts.push((node.content ?? []).map(inline).join('\n'));
      } else {
        parts.push((node.content ?? []).map(inline).join(''));
      }
    } else {
      run += inline(node);
    }
  }
  if (run) parts.push(run);
  return parts.join('\n\n');
}

export function adfToText(doc: AdfDoc): string {
  return blocks(doc.content as AdfNode[]);
}

/** A Jira body as text: a v2 string passes through, a v3 document is flattened, anything else is empty. */
export function bodyToText(body: unknown): string {
  if (typeof body === 'string') return body;
  return isAdfDoc(body) ? adfToText(body) : '';
}
