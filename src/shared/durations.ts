/** ISO-8601 durations (PT2H, P1D, P1DT2H30M) as milliseconds. Pure; used by workflows and the scenario runner. */
const ISO_DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

export function parseIsoDuration(text: string): number {
  const m = ISO_DURATION.exec(text);
  if (!m || text === 'P' || text.endsWith('T')) throw new Error(`not an ISO-8601 duration: ${JSON.stringify(text)}`);
  const [, w, d, h, min, s] = m;
  const n = (v: string | undefined) => (v ? Number(v) : 0);
  return ((((n(w) * 7 + n(d)) * 24 + n(h)) * 60 + n(min)) * 60 + n(s)) * 1000;
}
