/**
 * S-14: does a customer's reply confirm that the issue is resolved? Deliberately conservative:
 * anything that is not a clear confirmation returns the ticket to the agent instead of closing it.
 */
const CONFIRMS = [
  /\b(that|it|this)\s+(worked|works|did the trick|fixed it|solved it)\b/i,
  /\b(works|working)\s+(now|again|fine|great)\b/i,
  /\b(issue|problem|it)\s+(is|was|has been)\s+(resolved|fixed|solved|sorted)\b/i,
  /\b(all set|all good|good to go|you can close|please close|feel free to close|ok to close|okay to close)\b/i,
  /\b(appointment|training|meeting|call)\s+(is\s+)?(booked|scheduled|set)\b/i,
  /^\s*(resolved|fixed|solved|confirmed)[.!\s]*$/i,
];
const DOUBTS = /\b(not|n't|still|no longer|isn't|doesn't|didn't|but|however|another|also)\b|\?/i;

export function confirmsResolution(body: string): boolean {
  const text = body.trim();
  return CONFIRMS.some((re) => re.test(text)) && !DOUBTS.test(text);
}
