/** Fills `{name}` placeholders of the configured templates. Unknown placeholders are left visible. */
export function fillTemplate(template: string, values: Record<string, string | number | undefined>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = values[name];
    return v === undefined ? whole : String(v);
  });
}

export function emailDomain(email: string | null | undefined): string | null {
  const at = email?.lastIndexOf('@') ?? -1;
  return at >= 0 && email ? email.slice(at + 1).toLowerCase() : null;
}

export function sameEmail(a: string | null | undefined, b: string | null | undefined): boolean {
  return !!a && !!b && a.toLowerCase() === b.toLowerCase();
}

export function isInternal(email: string | null | undefined, internalDomains: string[]): boolean {
  const d = emailDomain(email);
  return !!d && internalDomains.some((x) => d === x.toLowerCase() || d.endsWith(`.${x.toLowerCase()}`));
}

/**
 * The line of a message the timeline shows: the first one after the greeting, and when it introduces
 * what follows ("…we need some information from you:") the line it introduces too (the question asked).
 */
export function firstLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim());
  const i = lines.findIndex((l) => l && !/^hello,?$/i.test(l));
  let line = lines[i] ?? '';
  const next = i >= 0 && line.endsWith(':') ? lines.slice(i + 1).find((l) => l) : undefined;
  if (next) line = `${line} ${next}`;
  const limit = next ? 280 : 140;
  return line.length > limit ? `${line.slice(0, limit - 3)}...` : line;
}
