/**
 * S-03: classify a ticket's summary, description and reporter into a route, with a confidence and the
 * reasons shown to agents. The rules live in the configuration (`classification.rules`, defaults in
 * src/config/classification-rules.ts); this module only scores them.
 *
 * Scoring: each rule's score is the sum of the weights of its patterns that match (each pattern counts
 * once; negative weights count against the route), plus `reporterWeight` when the reporter's domain or
 * role matches. The best route wins. Confidence combines the winner's absolute strength
 * (1 - e^(-score/3): one decisive signal of weight 3 gives 0.63) with its margin over the runner-up, so
 * a tie or a lone weak hint falls below the threshold and the ticket waits for an agent (S-03).
 *
 * Forwarded e-mails (S-05) are classified on the original message and its original sender.
 * Pure and deterministic: no I/O, no clock.
 */
import type { Classification } from '../activities/settings-types';
import type { DeskflowConfig } from '../config/schema';
import { parseForwarded, stripSubjectPrefixes } from './forwarded';

export interface ClassifyInput {
  summary: string;
  description: string;
  reporter: string | null;
}

/** The route given when no rule matches at all (confidence 0, so an agent decides). */
export const FALLBACK_ROUTE = 'general.other';

/** The prefix of a reason that asks for the Support Supervisor's attention (R-25). */
export const ATTENTION_PREFIX = 'attention:';

/** Per-route details behind a classification, for tests and for `deskflow classify-text --explain`. */
export interface ClassificationDetail extends Classification {
  scores: Array<{ route: string; score: number }>;
  /** The reporter whose domain and role were scored (the original sender of a forwarded message). */
  scoredReporter: string | null;
  forwardedFrom: string | null;
}

type Rule = DeskflowConfig['classification']['rules'][number];

const regexCache = new Map<string, RegExp>();

function compile(source: string): RegExp {
  let re = regexCache.get(source);
  if (!re) {
    re = new RegExp(source, 'i');
    regexCache.set(source, re);
  }
  return re;
}

/** Lower-cased, straight quotes, single spaces: what the patterns are written against. */
export function normalizeText(s: string): string {
  return s
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[\u2013\u2014]/g, '-')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

function domainOf(address: string | null): string | null {
  if (!address) return null;
  const at = address.lastIndexOf('@');
  return at < 0
    ? null
    : address
        .slice(at + 1)
        .trim()
        .toLowerCase();
}

function domainMatches(domain: string, list: readonly string[]): boolean {
  return list.some((d) => {
    const x = d.toLowerCase().replace(/^@/, '');
    return domain === x || domain.endsWith(`.${x}`);
  });
}

/** The addresses a role names (a role is one address or a list), lower case. */
function roleAddresses(config: DeskflowConfig, role: string): string[] {
  const value = (config.roles as Record<string, unknown>)[role];
  if (typeof value === 'string') return [value.toLowerCase()];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string').map((v) => v.toLowerCase());
  return [];
}

interface RuleResult {
  route: string;
  score: number;
  hits: Array<{ weight: number; why: string; attention: boolean }>;
  order: number;
}

function scoreRule(
  rule: Rule,
  order: number,
  text: string,
  summary: string,
  reporter: string | null,
  reporterDomain: string | null,
  config: DeskflowConfig,
): RuleResult {
  const result: RuleResult = { route: rule.route, score: 0, hits: [], order };
  for (const p of rule.patterns) {
    const target = p.in === 'summary' ? summary : text;
    if (compile(p.re).test(target)) {
      result.score += p.weight;
      result.hits.push({ weight: p.weight, why: p.why, attention: p.attention === true });
    }
  }
  const weight = rule.reporterWeight ?? 2;
  if (reporterDomain && rule.reporterDomains && domainMatches(reporterDomain, rule.reporterDomains)) {
    result.score += weight;
    result.hits.push({ weight, why: `reporter domain ${reporterDomain}`, attention: false });
  } else if (reporter && rule.reporterRoles?.some((r) => roleAddresses(config, r).includes(reporter))) {
    const role = rule.reporterRoles.find((r) => roleAddresses(config, r).includes(reporter));
    result.score += weight;
    result.hits.push({ weight, why: `reporter is in the ${role} role`, attention: false });
  }
  return result;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** S-03 with the per-route scores (see `classify`). */
export function classifyDetailed(input: ClassifyInput, config: DeskflowConfig): ClassificationDetail {
  const internalDomains = config.roles.internalDomains;
  const reasons: string[] = [];
  const forwarded = parseForwarded(input.description ?? '', internalDomains);
  let summary = stripSubjectPrefixes(input.summary ?? '');
  let body = input.description ?? '';
  let reporter = input.reporter?.trim().toLowerCase() || null;
  if (forwarded) {
    if (forwarded.originalSubject) summary = forwarded.originalSubject;
    if (forwarded.body) body = forwarded.body;
    if (forwarded.originalSender) reporter = forwarded.originalSender;
    reasons.push(
      `forwarded message: classified on the original${forwarded.originalSender ? ` from ${forwarded.originalSender}` : ''}`,
    );
  }
  let reporterDomain = domainOf(reporter);
  if (reporterDomain && domainMatches(reporterDomain, internalDomains)) {
    // Staff opened or forwarded the ticket: their own domain says nothing about the request.
    reporterDomain = null;
  }

  const normSummary = normalizeText(summary);
  const text = normalizeText(`${summary}\n${body}`);
  const results = config.classification.rules
    .map((rule, i) => scoreRule(rule, i, text, normSummary, reporter, reporterDomain, config))
    // Several rules may name the same route (a configuration may add one): their scores add up.
    .reduce<RuleResult[]>((acc, r) => {
      const same = acc.find((a) => a.route === r.route);
      if (same) {
        same.score += r.score;
        same.hits.push(...r.hits);
      } else acc.push(r);
      return acc;
    }, [])
    .sort((a, b) => b.score - a.score || a.order - b.order);

  const scores = results.map((r) => ({ route: r.route, score: round2(r.score) }));
  const best = results[0];
  const routes = config.routes;
  const requestTypeOf = (route: string) => routes[route]?.requestType ?? '';

  if (!best || best.score <= 0) {
    const route = FALLBACK_ROUTE in routes ? FALLBACK_ROUTE : (Object.keys(routes)[0] ?? FALLBACK_ROUTE);
    reasons.unshift('no classification rule matched; an agent needs to decide');
    return {
      route,
      requestType: requestTypeOf(route),
      confidence: 0,
      reasons,
      scores,
      scoredReporter: reporter,
      forwardedFrom: forwarded?.originalSender ?? null,
    };
  }

  const second = Math.max(0, results[1]?.score ?? 0);
  const strength = 1 - Math.exp(-best.score / 3);
  const margin = (best.score - second) / best.score;
  const confidence = round2(Math.min(1, Math.max(0, strength * (0.4 + 0.6 * margin))));

  const positive = best.hits.filter((h) => h.weight > 0 && !h.attention).sort((a, b) => b.weight - a.weight);
  const whys = [...new Set(positive.map((h) => h.why))];
  const attention = [
    ...new Set(
      best.hits.filter((h) => h.attention).map((h) => `${ATTENTION_PREFIX} ${h.why}; needs supervisor attention`),
    ),
  ];
  reasons.unshift(...whys.slice(0, 4));
  reasons.push(...attention);
  const runnerUp = results[1];
  if (runnerUp && runnerUp.score > 0 && runnerUp.score >= best.score * 0.5) {
    reasons.push(`also looks like ${runnerUp.route} (score ${round2(runnerUp.score)} vs ${round2(best.score)})`);
  }
  return {
    route: best.route,
    requestType: requestTypeOf(best.route),
    confidence,
    reasons,
    scores,
    scoredReporter: reporter,
    forwardedFrom: forwarded?.originalSender ?? null,
  };
}

/**
 * S-03: the route of a ticket, its JSM request type (from `routes[route].requestType`), a confidence in
 * 0..1 and short reasons for agents. A reason starting with "attention:" marks a ticket that needs the
 * Support Supervisor (R-25) rather than an automatic close.
 */
export function classify(input: ClassifyInput, config: DeskflowConfig): Classification {
  const { route, requestType, confidence, reasons } = classifyDetailed(input, config);
  return { route, requestType, confidence, reasons };
}

/** True when the classification carries an "attention:" reason (R-25: send to the supervisor). */
export function needsAttention(c: Pick<Classification, 'reasons'>): boolean {
  return c.reasons.some((r) => r.startsWith(ATTENTION_PREFIX));
}
