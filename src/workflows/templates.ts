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
