/**
 * E-13: does a message state the approval to push an onboarding live? Deliberately conservative, as
 * S-14's closing words: a question ("Approved?"), a condition ("approved once the documents are in"),
 * a refusal or a "hold off" is not an approval. Also tells whether the message asks for anything
 * besides the approval (such a separate ticket is linked, not closed).
 */
import { ownWords } from './customer-reply';

const APPROVAL =
  /\b(approved?|approval (is )?(granted|given)|you have (my|our) approval|go ahead|(ok|okay|good|cleared|fine) to (push|go|launch)|push\s+(\S+\s+){0,4}live|go(ing)? live|good to go|green light|signed off|sign off)\b/i;
const QUESTION = /\?/;
const CONDITION =
  /\b(if|once|when|whenever|unless|provided|assuming|as long as|pending|after|subject to|until|in case|should|would|could|may|might)\b/i;
const REFUSAL =
  /\b(not|no|never|hold off|on hold|wait|yet|stop|cancel|decline[ds]?|reject(ed)?|pause[ds]?|postpone[ds]?)\b|n['’]t\b/i;
/** Lines that ask for nothing: greetings, thanks, sign-offs, a bare name. */
const SMALL_TALK =
  /^(hi|hello|hey|dear|thanks|thank you|many thanks|cheers|regards|best|kind regards|sincerely|sent from|--)\b|^[A-Z][a-z]+( [A-Z][a-z]+)?[.,]?$/i;
const REQUEST =
  /\?|\b(please|can you|could you|would you|can we|could we|also|need|needs|add|update|change|remove|send|set up|create|help|question|issue|problem|fix|invite)\b/i;

export interface ApprovalReading {
  /** The text states an approval, with no question, condition or refusal attached to it. */
  approves: boolean;
  /** Something else is asked or requested besides the approval. */
  asksMore: boolean;
  /** The sentences that ask for more (for the internal note). */
  requests: string[];
}

function sentences(text: string): string[] {
  return ownWords(text)
    .split(/\n+|(?<=[.!?])\s+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

export function readApproval(text: string): ApprovalReading {
  const parts = sentences(text);
  let clean = 0;
  let doubted = 0;
  const requests: string[] = [];
  for (const s of parts) {
    if (APPROVAL.test(s)) {
      if (QUESTION.test(s) || CONDITION.test(s) || REFUSAL.test(s)) doubted++;
      else clean++;
      continue;
    }
    if (REFUSAL.test(s) && /\b(live|launch|push|approv\w*)\b/i.test(s)) doubted++;
    if (SMALL_TALK.test(s)) continue;
    if (REQUEST.test(s)) requests.push(s);
  }
  return { approves: clean > 0 && doubted === 0, asksMore: requests.length > 0, requests };
}

/** Convenience: the text states an approval (see readApproval). */
export function statesApproval(text: string): boolean {
  return readApproval(text).approves;
}
