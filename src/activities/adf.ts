/**
 * Plain text ↔ Atlassian Document Format, for Jira's v3 endpoints (descriptions and comment bodies).
 * Enough for what the procedures write (paragraphs, line breaks, links in text) and read (any document,
 * flattened to text).
 */

export type AdfNode = {
  type: string;
  text?: string;
  attrs?: Record<string, unknown>;
  content?: AdfNode[];
  marks?: { type: string; attrs?: Record<string, unknown> }[];
};

export type AdfDoc = {
  type: 'doc';
  version: 1;
  content: AdfNode[];
};

/** Paragraphs split on blank lines; single newlines become hard breaks. */
export function textToAdf(text: string): AdfDoc {
  const paragraphs = text.replace(/\r\n/g, '\n').split(/\n{2,}/);
  return {
    type: 'doc',
    version: 1,
    content: paragraphs.map((para) => {
      const lines = para.split('\n');
      const content: AdfNode[] = [];
      lines.forEach((line, i) => {
        if (i > 0) content.push({ type: 'hardBreak' });
        if (line) content.push({ type: 'text', text: line });
      });
      return { type: 'paragraph', content };
    }),
  };
}

function flatten(node: AdfNode): string {
  switch (node.type) {
    case 'text':
      return node.text ?? '';
    case 'hardBreak':
      return '\n';
    case 'mention':
      return String(node.attrs?.text ?? '');
    case 'emoji':
      return String(node.attrs?.text ?? node.attrs?.shortName ?? '');
    case 'inlineCard':
    case 'blockCard':
      return String(node.attrs?.url ?? '');
    default:
      return (node.content ?? [])
        .map(flatten)
        .join(node.type === 'bulletList' || node.type === 'orderedList' ? '\n' : '');
  }
}

/** Flattens a v3 body to text; a v2 string body passes through. */
export function adfToText(body: unknown): string {
  if (body === null || body === undefined) return '';
  if (typeof body === 'string') return body;
  const doc = body as AdfNode;
  if (!Array.isArray(doc.content)) return '';
  // Top-level blocks (paragraphs, lists, headings) are separated by a blank line, as textToAdf reads them.
  return doc.content.map(flatten).join('\n\n');
}
