/**
 * S-14: does a customer's reply confirm that the issue is resolved? Deliberately conservative:
 * anything that is not a clear confirmation returns the ticket to the agent instead of closing it.
 */

/**
 * The words of a reply without what it quotes: an e-mail reply carries our own message below
 * "On ... wrote:" or as "> " lines, and our question ("Does that work?") must not be read as theirs.
 */
export function ownWords(body: string): string {
  const lines: string[] = [];
  for (const line of body.split(/\r?\n/)) {
    const l = line.trim();
    if (
      /^(on .+ wrote:|-+ ?(original|forwarded) message ?-+|begin forwarded message:|from: .+|sent from my \w+)/i.test(l)
    )
      break;
    if (l.startsWith('>')) continue;
    lines.push(l);
  }
  return lines.join('\n').trim();
}

/** Clear statements that the problem is solved (tested after the doubts below are ruled out). */
const CONFIRMS = [
  /\b(that|it|this|everything|the fix|your fix|the change|your suggestion|the update)\s+(worked|did the trick|fixed it|solved it|sorted it|resolved it)\b/i,
  /\b(works|working|loads|loading|shows(\s+up)?|showing(\s+up)?|displays|saves|saving|syncs|syncing|appears)\s+(now|again|fine|great|perfectly|correctly|properly)\b/i,
  /\bworks?\s+for\s+(me|us)\s+now\b/i,
  /\b(issue|problem|it|this|that|everything|all)\s*(is|was|has been|['’]s|are|have been)\s+(now\s+)?(resolved|fixed|solved|sorted(\s+out)?)\b/i,
  /\b(problem|issue)\s+(solved|resolved|fixed)\b/i,
  /\b(all set|all good|you can close|please close|feel free to close|ok to close|okay to close|can be closed)\b/i,
  /\b(appointment|training|meeting|call|session)\s+(is\s+|has been\s+)?(now\s+)?(booked|scheduled|confirmed)\b/i,
  /\b(booked|scheduled)\s+(the\s+|a\s+|an\s+|our\s+)?(appointment|training|meeting|call|session)\b/i,
  /^\s*(resolved|fixed|solved|confirmed|booked|works|it works)[.!\s]*$/i,
];

/** Negations that are themselves part of a confirmation ("no further help needed"). */
const HARMLESS = /\bno\s+(further|more)\s+\w+(\s+(is|are)\s+needed)?|\bno\s+problems?\b/gi;

/**
 * What makes a reply something else than a confirmation: a question, a condition or a hope, a
 * negation or a "but", a further request, or agreement with a plan ("that works for us") rather than
 * a report that the problem is gone.
 */
const DOUBTS = [
  /\?/,
  /\b(not|no|never|nothing|cannot|cant|still|yet|but|however|though|although|except|unless)\b|n['’]t\b/i,
  /\b(if|once|when|whenever|provided|assuming|as long as|in case|pending|until)\b/i,
  /\b(should|would|could|will|might|may|maybe|perhaps|hopefully|hope|seems?|think|guess|probably|try|trying|test|testing|check|checking)\b/i,
  /\b(another|also|one more|additionally|other)\b/i,
  /\b(works?|worked)\s+for\s+(us|me|our team|them)\b(?!\s+(now|again))/i,
];

/**
 * Confirmations that open with the verdict or say "I confirm" ("Confirmed, it shows 30% now. Thanks!"),
 * read by runs that took the patch `confirm-words-more`.
 */
const MORE_CONFIRMS = [
  /^\s*(confirmed|resolved|fixed|solved|sorted|works|it works)\s*[,.!:;-]/i,
  /\b(i|we)\s+(can\s+)?confirm\s+(it|that|this|the fix)\b(?!\s+(whether|if))/i,
];

export function confirmsResolution(body: string, options: { moreWords?: boolean } = {}): boolean {
  const text = ownWords(body);
  if (!text) return false;
  const judged = text.replace(HARMLESS, ' ');
  const confirms = options.moreWords ? [...CONFIRMS, ...MORE_CONFIRMS] : CONFIRMS;
  return confirms.some((re) => re.test(text)) && !DOUBTS.some((re) => re.test(judged));
}

/** R-22: the customer says they booked the training, in the words people use ("we booked Tuesday 10am"). */
const BOOKED = [
  /\b(we|i)\s*('ve|\s+have|\s+just|'re all|\s+are all)?\s*(just\s+)?(booked|scheduled)\b/i,
  /\b(all|it'?s|it is|that'?s|that is)\s+(now\s+)?(booked|scheduled)\b/i,
  /^\s*(yes|yep|yup|yeah|done)\b[\s,.!-]*(all\s+|it'?s\s+)?(booked|scheduled|done)\b/i,
];

/** S-14 for a training booking (R-22): a clear statement that it is booked, with none of the doubts below. */
export function confirmsBooking(body: string): boolean {
  const text = ownWords(body);
  if (!text) return false;
  const judged = text.replace(HARMLESS, ' ');
  return BOOKED.some((re) => re.test(text)) && !DOUBTS.some((re) => re.test(judged));
}

/** The classifier before December 2026, kept for runs recorded with it (patch `closing-words`). */
const LEGACY_CONFIRMS = [
  /\b(that|it|this)\s+(worked|works|did the trick|fixed it|solved it)\b/i,
  /\b(works|working)\s+(now|again|fine|great)\b/i,
  /\b(issue|problem|it)\s+(is|was|has been)\s+(resolved|fixed|solved|sorted)\b/i,
  /\b(all set|all good|good to go|you can close|please close|feel free to close|ok to close|okay to close)\b/i,
  /\b(appointment|training|meeting|call)\s+(is\s+)?(booked|scheduled|set)\b/i,
  /^\s*(resolved|fixed|solved|confirmed)[.!\s]*$/i,
];
const LEGACY_DOUBTS = /\b(not|n't|still|no longer|isn't|doesn't|didn't|but|however|another|also)\b|\?/i;

export function confirmsResolutionLegacy(body: string): boolean {
  const text = body.trim();
  return LEGACY_CONFIRMS.some((re) => re.test(text)) && !LEGACY_DOUBTS.test(text);
}
