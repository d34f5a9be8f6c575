/**
 * E-02: the EverBright new-partner onboarding form in a ticket's description, e.g.
 *
 *     Installer name: Summit Solar Co
 *     Installer contact email: owner@summitsolar.co
 *     EverBright account manager: Priya Nair <priya.nair@goeverbright.com>
 *
 * Tolerant of case, bullets, Jira bold/wiki markup, "-" or tab instead of ":", "e-mail", a value on the
 * next line, and the account manager's address on a line of its own. Pure and deterministic: the
 * workflow imports it.
 */

export interface OnboardingForm {
  installerName?: string;
  installerContactEmail?: string;
  accountManagerName?: string;
  accountManagerEmail?: string;
  /**
   * What the onboarding team must still supply, as human-readable labels for the internal note (E-02):
   * "installer name", "installer contact email", "EverBright account manager email". A missing account
   * manager name alone is not listed: the address identifies the watcher (E-04).
   */
  missing: string[];
}

type Field = 'installerName' | 'installerContactEmail' | 'accountManager' | 'accountManagerEmail';

const EMAIL = /[a-z0-9._%+'-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}/i;

/** Labels in the order they are tried; the more specific ones come first. */
const LABELS: Array<[Field, RegExp]> = [
  ['accountManagerEmail', /^(everbright\s+)?(account\s*manager|am)('s)?\s+e-?mail(\s+address)?$/],
  ['accountManager', /^(everbright\s+)?(account\s*manager|am)(\s+name)?$/],
  [
    'installerContactEmail',
    /^(installer('s)?\s+)?(primary\s+)?(contact\s+)?e-?mail(\s+address)?(\s+of\s+(the\s+)?installer)?$/,
  ],
  [
    'installerName',
    /^(installer|installer('s)?\s+(company\s+)?name|company\s+name|installer\s+company|partner(\s+name)?|new\s+partner(\s+name)?|name\s+of\s+(the\s+)?installer)$/,
  ],
];

/** Normalizes a label: lower case, no markup, single spaces. */
function normalizeLabel(label: string): string {
  return label
    .toLowerCase()
    .replace(/[*_`#|]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Removes bullets, numbering and Jira markup from the start of a line. */
function stripBullet(line: string): string {
  return line
    .replace(/^\s*(?:[-*•·‣◦–]|\d+[.)]|[a-z][.)](?=\s))\s+/i, '')
    .replace(/^\s*\|\|?/, '')
    .trim();
}

/** Removes markup and mailto wrappers from a value; "" when nothing is left. */
function cleanValue(value: string): string {
  return value
    .replace(/\[([^\]|]+)\|mailto:[^\]]+\]/gi, '$1') // Jira [addr|mailto:addr]
    .replace(/\bmailto:/gi, '')
    .replace(/^[*_\s|:]+|[*_\s|]+$/g, '')
    .trim();
}

/** Splits "Name <email>", "Name (email)", "Name - email", "email" into its parts. */
function splitPerson(value: string): { name?: string; email?: string } {
  const email = EMAIL.exec(value)?.[0];
  const name = (email ? value.replace(email, ' ') : value)
    .replace(/[<>()[\]"]/g, ' ')
    .replace(/\s[-–,;:/]\s*$|^\s*[-–,;:/]\s/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/^[-–,;:/\s]+|[-–,;:/\s]+$/g, '')
    .trim();
  return { ...(name ? { name } : {}), ...(email ? { email: email.toLowerCase() } : {}) };
}

/** Parses the onboarding form; never throws. */
export function parseOnboardingForm(description: string): OnboardingForm {
  const lines = description.replace(/\r\n?/g, '\n').split('\n').map(stripBullet);
  const found: Partial<Record<Field, string>> = {};
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    // "Label: value", "Label - value", "Label<TAB>value", "|Label|value|".
    const m = /^(.{2,60}?)\s*(?::|\s[-–]\s|\t|\|)\s*(.*)$/.exec(line);
    if (!m) continue;
    const label = normalizeLabel(m[1] ?? '');
    const field = LABELS.find(([, re]) => re.test(label))?.[0];
    if (!field || found[field] !== undefined) continue;
    let value = cleanValue(m[2] ?? '');
    // A label alone on its line takes its value from the next non-empty line.
    if (!value) {
      const nextLine = lines.slice(i + 1).find((l) => l.trim() !== '');
      if (nextLine && !/:\s*/.test(nextLine.split(' ').slice(0, 5).join(' '))) value = cleanValue(nextLine);
    }
    if (value) found[field] = value;
  }

  const form: OnboardingForm = { missing: [] };
  if (found.installerName) {
    const { name } = splitPerson(found.installerName);
    if (name) form.installerName = name;
  }
  const contact = found.installerContactEmail ? EMAIL.exec(found.installerContactEmail)?.[0] : undefined;
  if (contact) form.installerContactEmail = contact.toLowerCase();
  if (found.accountManager) {
    const { name, email } = splitPerson(found.accountManager);
    if (name) form.accountManagerName = name;
    if (email) form.accountManagerEmail = email;
  }
  if (!form.accountManagerEmail && found.accountManagerEmail) {
    const email = EMAIL.exec(found.accountManagerEmail)?.[0];
    if (email) form.accountManagerEmail = email.toLowerCase();
  }
  return withMissing(form);
}

/** Recomputes `missing` from the fields present. */
function withMissing(form: OnboardingForm): OnboardingForm {
  const missing: string[] = [];
  if (!form.installerName) missing.push('installer name');
  if (!form.installerContactEmail) missing.push('installer contact email');
  if (!form.accountManagerEmail) missing.push('EverBright account manager email');
  return { ...form, missing };
}

/**
 * E-02: a form completed in pieces (the description, then a comment with the missing lines). Every
 * field the correction gives replaces the earlier value; the rest is kept. The account manager's name
 * and address travel together, unless the correction gives only the address.
 */
export function mergeOnboardingForms(base: OnboardingForm, correction: OnboardingForm): OnboardingForm {
  const merged: OnboardingForm = { ...base, missing: [] };
  if (correction.installerName) merged.installerName = correction.installerName;
  if (correction.installerContactEmail) merged.installerContactEmail = correction.installerContactEmail;
  if (correction.accountManagerEmail) {
    const sameAm = base.accountManagerEmail === correction.accountManagerEmail;
    merged.accountManagerEmail = correction.accountManagerEmail;
    if (correction.accountManagerName) merged.accountManagerName = correction.accountManagerName;
    else if (base.accountManagerEmail && !sameAm) delete merged.accountManagerName;
  } else if (correction.accountManagerName && !base.accountManagerEmail) {
    merged.accountManagerName = correction.accountManagerName;
  }
  return withMissing(merged);
}

/** True when the text holds at least one field of the form (a comment meant as a correction). */
export function hasOnboardingFields(form: OnboardingForm): boolean {
  return !!(form.installerName || form.installerContactEmail || form.accountManagerName || form.accountManagerEmail);
}
