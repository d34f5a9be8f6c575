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

export function textToAdf(text: string): AdfDoc {
  const paragraphs = text.replace(/\r\n/g, '\n').split(/\n{2,}/);
  return {
    type: 'doc',
    version: 1,
    content: paragraphs.map((p) => {
      const lines = p.split('\n');
      const content: AdfNode[] = [];
      lines.forEach((line, i) => {
        if (i > 0) content.push({ type: 'hardBreak' });
        if (line) content.push({ type: 'text', text: line });
      });
      return { type: 'paragraph', content };
    }),
  };
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
