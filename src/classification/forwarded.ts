/**
 * S-05: a ticket whose description is a forwarded e-mail (a colleague forwarded the customer's message
 * to the support desk). Finds the original message so that classification (S-03) reads the customer's
 * words and the workflow can make the original sender the reporter.
 *
 * Pure and deterministic: the workflow imports it.
 */

export interface ForwardedMessage {
  /** The original sender's address (lower case), or null when the header names none. */
  originalSender: string | null;
  /** The original subject with any Fwd:/Re: prefixes removed, or null when the header has none. */
  originalSubject: string | null;
  /** The original message's text, without the header block and without older quoted messages. */
  body: string;
}

/** Separator lines that mail clients put in front of a forwarded or quoted message. */
const MARKERS = [
  /^-{2,}\s*forwarded message\s*-{2,}$/i, // Gmail
  /^begin forwarded message\s*:?$/i, // Apple Mail
  /^-{2,}\s*original message\s*-{2,}$/i, // Outlook
  /^-{2,}\s*forwarded by .*-{2,}$/i, // Lotus Notes and others
  /^_{8,}$/, // Outlook's rule before a "From:" header block
  /^(fwd?|fw)\s*:.*$/i, // a bare "Fwd: subject" line pasted into the body
];

const HEADER = /^(from|sent|date|to|cc|bcc|subject|reply-to)\s*:\s*(.*)$/i;
const EMAIL = /[a-z0-9._%+'-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}/i;

/** Removes quoting (">"), Jira wiki bold ("*From:*") and surrounding whitespace from a line. */
function cleanLine(line: string): string {
  return line
    .replace(/^(\s*>)+/, '')
    .replace(/^\s*[*_]+([a-z-]+\s*:)[*_]*/i, '$1')
    .replace(/^\s*([a-z-]+)[*_]+\s*:/i, '$1:')
    .trim();
}

/** Strips "Fwd:", "FW:", "Re:" and "[EXTERNAL]" style prefixes from a subject. */
export function stripSubjectPrefixes(subject: string): string {
  let s = subject.trim();
  for (;;) {
    const next = s.replace(/^(\s*(re|fwd?|fw|aw|wg|tr)\s*(\[\d+\])?\s*:|\s*\[(external|ext)\])\s*/i, '');
    if (next === s) return s;
    s = next;
  }
}

interface HeaderBlock {
  /** Index of the first header line. */
  start: number;
  /** Index of the first line after the block. */
  end: number;
  sender: string | null;
  subject: string | null;
  /** True when a separator line introduced the block. */
  marked: boolean;
}

/** Reads the header block that starts at line `i` ("From:" ... up to the first non-header line). */
function readHeaderBlock(lines: string[], i: number, marked: boolean): HeaderBlock | null {
  const first = HEADER.exec(lines[i] ?? '');
  if (!first || first[1]?.toLowerCase() !== 'from') return null;
  let sender: string | null = null;
  let subject: string | null = null;
  const seen = new Set<string>();
  let j = i;
  for (; j < lines.length; j++) {
    const m = HEADER.exec(lines[j] ?? '');
    if (!m) break;
    const name = (m[1] ?? '').toLowerCase();
    const value = (m[2] ?? '').trim();
    seen.add(name);
    if (name === 'from' && sender === null) sender = EMAIL.exec(value)?.[0]?.toLowerCase() ?? null;
    if (name === 'subject' && subject === null) subject = stripSubjectPrefixes(value) || null;
  }
  // Without a separator line, a "From:" line only counts when other header lines follow it, so that a
  // customer's sentence such as "From: our office" is not mistaken for a forwarded message.
  const headerLike = seen.has('sent') || seen.has('date') || seen.has('subject') || seen.has('to');
  if (!marked && !headerLike) return null;
  return { start: i, end: j, sender, subject, marked };
}

/** Every forwarded-message header block in the text, in order. */
function findHeaderBlocks(lines: string[]): HeaderBlock[] {
  const blocks: HeaderBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (MARKERS.some((m) => m.test(line))) {
      // The header follows the separator, possibly after blank lines.
      let k = i + 1;
      while (k < lines.length && (lines[k] ?? '') === '') k++;
      const block = readHeaderBlock(lines, k, true);
      if (block) {
        blocks.push(block);
        i = block.end - 1;
      }
      continue;
    }
    const block = readHeaderBlock(lines, i, false);
    if (block) {
      blocks.push(block);
      i = block.end - 1;
    }
  }
  return blocks;
}

function isInternal(address: string | null, internalDomains: readonly string[]): boolean {
  if (!address) return false;
  const domain = address.slice(address.lastIndexOf('@') + 1).toLowerCase();
  return internalDomains.some((d) => domain === d.toLowerCase() || domain.endsWith(`.${d.toLowerCase()}`));
}

/**
 * Finds the original message in a forwarded e-mail (Gmail "---------- Forwarded message ---------",
 * Apple Mail "Begin forwarded message:", Outlook "-----Original Message-----" or a bare
 * "From: / Sent: / To: / Subject:" header block). Returns null when the text is not a forward.
 *
 * The original message is the first forwarded one whose sender is not internal (`internalDomains`, e.g.
 * a colleague who forwarded a forward); when every sender is internal, the first forwarded message.
 * Its body runs up to the next forwarded or quoted message, which is older history.
 */
export function parseForwarded(description: string, internalDomains: readonly string[] = []): ForwardedMessage | null {
  const lines = description.replace(/\r\n?/g, '\n').split('\n').map(cleanLine);
  const blocks = findHeaderBlocks(lines);
  if (blocks.length === 0) return null;
  const index = Math.max(
    0,
    blocks.findIndex((b) => !isInternal(b.sender, internalDomains)),
  );
  const chosen = blocks[index] as HeaderBlock;
  const next = blocks[index + 1];
  // Stop before the next block's separator line (if any) as well as its header.
  let stop = next ? next.start : lines.length;
  while (next && stop > chosen.end && (lines[stop - 1] === '' || MARKERS.some((m) => m.test(lines[stop - 1] ?? '')))) {
    stop--;
  }
  const body = lines
    .slice(chosen.end, stop)
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return { originalSender: chosen.sender, originalSubject: chosen.subject, body };
}
