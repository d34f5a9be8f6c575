/**
 * An instant in the support time zone, e.g. "2026-11-25 09:00 PST": the CLI, the workflow's current
 * details in the Web UI and the supervisor board show deadlines this way. Pure (Intl only), so workflow
 * code may use it.
 */
export function formatInstant(iso: string | null | undefined, timeZone: string): string {
  if (!iso) return '-';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const parts = formatterFor(timeZone).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')} ${part('timeZoneName')}`;
}

/**
 * One formatter per time zone: building an Intl.DateTimeFormat costs far more than using one, and the
 * workflow formats a deadline at every wait (bench P6, replay: 5 % of the time went here).
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}
