/**
 * Default classification rules (S-03), one per route of ROUTING.md. A configuration file may replace
 * `classification.rules` entirely; the classifier only scores what is here.
 *
 * How to read and write them:
 * - Patterns are case-insensitive regular expressions matched against "summary + description" with
 *   whitespace collapsed to single spaces and curly quotes straightened (or the summary alone with
 *   `in: 'summary'`). They are written here as regex literals for readability; only `.source` is kept.
 * - Weights: 4 = decisive on its own, 3 = strong, 2 = supporting, 1 = a hint; negative counts against.
 *   Confidence needs one strong signal and a clear lead over the next route (see classify.ts).
 * - Write for the meaning (families of phrasings customers use), not for particular tickets.
 * - `why` is what agents read in the ticket's reasons, so keep it short and plain.
 * - A pattern with `attention: true` (R-25) marks a sign that the ticket needs a person.
 */
import type { ClassificationSettings } from './schema';

type Pattern = ClassificationSettings['rules'][number]['patterns'][number];

function p(
  re: RegExp,
  weight: number,
  why: string,
  extra: Partial<Omit<Pattern, 're' | 'weight' | 'why'>> = {},
): Pattern {
  return { re: re.source, weight, why, ...extra };
}

/** Financiers that work with Sighten (hints for the financier routes, R-02, R-18, R-19). */
const FINANCIER_DOMAINS = [
  'joinmosaic.com',
  'solarmosaic.com',
  'goodleap.com',
  'dividendfinance.com',
  'servicefinance.com',
  'renewfinancial.com',
  'pacefunding.com',
  'ygrene.com',
  'sungage.com',
  'sunnova.com',
  'enerbank.com',
  'palmetto.com',
  'lightreach.com',
  'greensky.com',
  'climatefirstbank.com',
  'concertfinance.com',
  'skylightlending.com',
  'goeverbright.com',
];

const FINANCIER_NAMES =
  /\b(pace ?funding|pace|renew financial|mosaic|dividend( finance)?|ygrene|goodleap|good leap|service finance|sungage|sunnova|enerbank|climate first|concert finance|lightreach|palmetto|skylight|greensky|everbright|sunlight( financial)?)\b/;

const SUNLIGHT_DOMAINS = ['sunlightfinancial.com', 'sunlight.com'];

/** Verbs of switching something off or ending a relationship. */
const OFF_VERB =
  /deactivat\w*|de-activat\w*|disabl\w*|remove|turn(ed|ing)? (it |them |that )?off|switch(ed|ing)? (it |them |that )?off|shut (it |them )?off|discontinu\w*|stop offering|no longer (offer\w*|use|using|work\w* with|partner\w* with|do\w* business with)|stopped (working|using|offering|partnering|doing business)|end(ed|ing)? (our|the) (relationship|partnership)|(cut|cutting) ties|(are |is )?not (offering|using|working with) [^.?!]{0,30}\banymore|take (it|them|that|\w+) off|pull (it|them|\w+) (off|from)/;

/** Verbs of switching something on or off. */
const TOGGLE_VERB =
  /enabl\w*|disabl\w*|turn(ed|ing)? (it |them |that |this |\w+(-\w+)? )?(on|off)|switch(ed|ing)? (it |them |that |this |\w+(-\w+)? )?(on|off)|activat\w*|deactivat\w*|toggl\w*|unlock\w*|hide|opt (us )?(in|out)|allow (us|our \w+) to use|give us access to|remove (it|access)/;

const FEATURE_NAMES =
  /docu-?sign|cost build-?up|pv ?watts|project sunroof|google sunroof|sunroof|nearmap|eagle ?view|e-?signatures?|shade reports?|single sign-?on|sso|two-factor|2fa|mfa|credit check feature|battery module|storage module|adders? feature|commission (calculator|tool)/;

const s = (re: RegExp) => re.source;

export const defaultClassificationRules: ClassificationSettings['rules'] = [
  {
    route: 'general.how_to',
    patterns: [
      p(
        /\bhow (do|can|would|should|to|does|could) (i|we|you|one|my|our|the|a|it)\b|\bhow to\b/,
        2,
        'asks how to do something',
      ),
      p(/^\s*(how|where) (do|can|does|is|are|should|would)\b[^?]*\?\s*$/, 2, 'the subject is a how/where question', {
        in: 'summary',
      }),
      p(
        /\bwhere (can|do|does|is|are|would|should|will) (i|we|you|it|they|the|that|this|our|my|one)\b/,
        2,
        'asks where to find something',
      ),
      p(
        /\b(is there|do you have|are there|got|have you got|any) (a |an |any |some )?(guide|tutorial|video|walk-?through|article|instructions|documentation|docs|help (article|doc|page)|manual|faq)/,
        3,
        'asks for a guide or documentation',
      ),
      p(
        /\b(can'?t|cannot|can not|unable to|couldn'?t|could not) (seem to )?(figure out|find (out )?(how|where|the (option|setting|button))|work out|locate)|\bnot sure (how|where|what)\b|\b(?<!good )no idea (how|where)\b|\b(confused|unclear) (about|on) how\b/,
        2,
        "can't work out how to do something",
      ),
      p(
        /\b(tutorial|user guide|help (center|centre|docs?)|knowledge base|step[- ]by[- ]step|instructions|documentation)\b/,
        1,
        'mentions guides or documentation',
      ),
      p(
        /\bwhat('?s| is| are) the (steps|process|procedure) (to|for)\b|\bwhat('?s| is) the (best |right |correct |easiest )?way to\b|\bis it possible to\b|\bam i able to\b|\bare we able to\b|\b(keep|kept) getting lost\b|\blost in the (menus?|settings|screens?)\b/,
        2,
        'asks for the way to do something',
      ),
      p(/\b(explain|show (me|us)|walk (me|us) through|tell (me|us)) how\b/, 2, 'asks to be shown how something works'),
      p(
        /\b(i'?m|we'?re|i am|we are) (brand )?new to (sighten|the (platform|software|tool|system))\b|\bquick question\b/,
        1,
        'a new user or a quick question',
      ),
      p(
        /\b(where|how|can (i|we)|is it possible|is there (a|any) way|what('?s| is) the process)\b[^.?!]{0,120}\?/,
        1,
        'phrased as a usage question',
      ),
      p(
        /\b(do|does|will|would|should) (i|we|it|the \w+|they|my \w+|our \w+) (need to|have to|carry over|stay|get (copied|saved|updated)|automatically|update|transfer|apply)\b[^.?!]{0,60}\?|\bwhen (i|we) [^.?!]{0,60}, (do|does|will|is|are) [^.?!]{0,60}\?/,
        2,
        'asks how the platform behaves',
      ),
      p(
        /\b(please|could you|can you|would you|we need you to|need you to)\b[^.?!]{0,20}\b(change|update|set|make|add|enable|disable|remove|create|configure|switch|turn|upload|replace|restore|deactivate)\b/,
        -1,
        'asks support to make a change',
      ),
    ],
  },
  {
    route: 'general.financier_partner_status',
    patterns: [
      p(
        /\b(status|progress|state) of (our |the |my |these |those |their )?(new |newly )?(approved |onboarded )?(installer |dealer |contractor |sales )?(partners?|installers?|dealers?|contractors?|accounts?)\b/,
        3,
        'asks for the status of its partners',
      ),
      p(
        /\b(are|is|have|has) (they|them|these|those|the|our|their|all|both|each|any)\b[^.?!]{0,60}\b(active|activated|live|set ?up|enabled|onboarded|up and running|ready|approved|provisioned|visible)\b|\b(partners?|installers?|dealers?)\b[^.?!]{0,40}\b(finished|completed|done with|gone through) (the |their )?onboarding\b|\b(they|these|those|them|partners?|installers?|dealers?|accounts?)( are| is| have been| has been|'ve been|'re) (now |already |yet |all )?(active|activated|live|set ?up|enabled|onboarded|up and running|ready|provisioned)\b/,
        2,
        'asks whether partners are active yet',
      ),
      p(
        /\b(confirm|check|verify|know|tell us|let us know|find out)\b[^.?!]{0,40}\b(whether|if)\b[^.?!]{0,80}\b(active|activated|live|set ?up|enabled|onboarded|up and running|provisioned)\b/,
        2,
        'asks to confirm partners are set up',
      ),
      p(
        /\b(new|newly (approved|onboarded|signed)) (installer |dealer |contractor )?(partners?|installers?|dealers?|contractors?)\b/,
        1,
        'mentions new installer partners',
      ),
    ],
    reporterDomains: FINANCIER_DOMAINS,
    reporterWeight: 1,
  },
  {
    route: 'general.other',
    patterns: [
      p(
        /\b(account (rep|representative|manager|owner|executive)|point of contact|customer success manager|csm)\b|\bwho (should|do|can|would) (we|i) (contact|talk|reach|speak|email|ask)\b|\bwho (we|i) (should|can) (contact|talk|reach|speak|email|ask)\b/,
        2,
        'asks who to contact',
      ),
      p(
        /\b(invoices?|billing|billed|receipts?|payment method|renewal|w-?9 (for|from) sighten)\b/,
        2,
        'a billing or account question',
      ),
      p(
        /\b(our|my) contact (at|with) sighten\b|\b(previous|former|old) (contact|account manager|rep|representative)\b|\bcontact (has )?left\b|\b(left|no longer (with|at)) (the company|sighten)\b/,
        1,
        'about its contact at Sighten',
      ),
      p(/\bquestion\b|\bwondering\b|\bcurious\b/, 0.5, 'asks a general question'),
    ],
  },
  {
    route: 'sales.lead',
    patterns: [
      p(
        /\b(your|sighten'?s?|the|about|share|send|get|need|provide|see|request|through|discuss|on|for|what is|what's) pricing\b|\bpricing (for|on|of|info\w*|details|plans?|options?|tiers?|and|sheet)\b|^pricing\b|\bpricing\?|\bhow much (does|would|is|will|do)\b|\bwhat (would|does|will|do) (it|that|this|sighten|your (plans?|licen[cs]es?|subscriptions?|software|platform|product)) (cost|run)\b|\b(get|request|need|want|send) (us |me )?(a )?(price )?quote\b|\bprice (list|sheet)\b|\bwhat (are|is) (the|your) (costs?|prices?|fees?|rates|pricing)\b|\b(per|a) (seat|user|license) (price|cost)\b/,
        3,
        'asks about pricing',
      ),
      p(
        /\b(plans?|packages?|tiers?) for (small|large|growing|our|a)? ?(teams|companies|installers|businesses|team|company)\b|\b(per|a|each) (month|user|seat|rep)\b|\bmonthly (fee|cost|price|rate)\b/,
        2,
        'asks about plans and fees',
      ),
      p(
        /\b(demo|demos|demonstration|free trial|trial (account|period|version)|(a|the) trial)\b/,
        2,
        'asks for a demo or trial',
      ),
      p(
        /\b(interested in|looking (at|for|into)|evaluating|considering|shopping (for|around)|switch(ing)? (from|over|to)|replace our (current )?)\b[^.?!]{0,60}\b(sighten|software|platform|tool|solution|proposal (tool|software|platform))\b/,
        2,
        'is evaluating the software',
      ),
      p(
        /\b(sign(ing)? up|subscribe|subscription|licen[cs]es?|licensing|seats|buy|buying|purchas\w*|onboard with sighten|become a (sighten )?customer)\b/,
        1,
        'talks about buying or subscribing',
      ),
      p(
        /\b(our own|a direct|direct) (sighten )?(account|subscription|license|licence|contract|relationship)\b|\bdirect(ly)? (with sighten|customer|subscription|license|licence)\b|\b(through|via) (our|a|the) (financier|lender)('?s)?\b/,
        3,
        'wants its own direct account',
      ),
      p(
        /\b(buy|purchase|get|sign up for|pay for)\b[^.?!]{0,40}\b(subscription|licen[cs]es?|seats|plan|account|contract) (with|from|for|of) (sighten|you)\b|\b(buy|purchase)\b[^.?!]{0,30}\b(our own|more|additional) (subscription|licen[cs]es?|seats|users)\b/,
        2,
        'wants to buy a subscription',
      ),
      p(
        new RegExp(
          `\\b(use|access|using|accessing) sighten (through|via|thru) (our |a |the )?(${s(FINANCIER_NAMES)}|financier|lender)`,
        ),
        1,
        'uses Sighten through a financier today',
      ),
      p(
        /\b(talk|speak|connect) (to|with) (sales|a sales (rep|person|representative)|your sales team|someone (about|in) (sales|pricing|buying))\b/,
        2,
        'asks to talk to sales',
      ),
    ],
  },
  {
    route: 'tech.bug',
    patterns: [
      p(
        /(?<!\b(in|by) )\b(errors?|bugs?|buggy|broken|crash(es|ed|ing)?|glitch(es|y)?|fail(s|ed|ing|ure)?|exceptions?|timed? ?out|timeouts?)\b/,
        3,
        'mentions an error / something not working',
      ),
      p(
        /\b(not|isn'?t|aren'?t|no longer|stopped) (working|loading|saving|showing|displaying|updating|calculating|syncing|sending|generating|opening|responding|populating)\b|\b(doesn'?t|does not|won'?t|will not|didn'?t|did not) (work|load|open|save|let|show|display|calculate|sync|send|generate|export|upload|update|respond)\b|\b(can'?t|cannot|unable to|couldn'?t|could not) (log ?in|sign ?in|access|open|load|save|export|download|generate|upload|submit|see (the|our|any))\b|\bnothing (happens|loads|downloads|shows up|comes up|gets? (generated|saved|sent))\b|\b(we|reps|users|everyone|nobody) (are|is) (blocked|locked out)\b/,
        3,
        'says something is not working',
      ),
      p(
        /\b(blank|white|empty) (page|screen)\b|\b(page|screen|proposal|app)\b[^.?!]{0,20}\b(goes|went|turns|turned|is|comes up|stays) (completely |totally |all |just )?(blank|white|empty)\b|\bspinning\b|\bstuck (on|at|in)\b|\bkeeps? (loading|crashing|freezing|spinning|logging)\b|\bfreez(es|ing)\b|\bfrozen\b|\bhangs\b|\b(50[0-4]|404) (error|page)\b|\berror (code )?\d{3}\b/,
        2,
        'describes a page that hangs, is blank or returns an error',
      ),
      p(
        /\b(wrong|incorrect(ly)?|inaccurate|miscalculat\w*|off by|not (correct|right|accurate)|doesn'?t (match|add up)|do not match|(can'?t|cannot|can not|couldn'?t) (possibly )?be (right|correct)|(isn'?t|is not|doesn'?t look|does not look) right|makes no sense|doesn'?t make sense)\b/,
        2,
        'reports wrong values',
      ),
      p(
        /\b(shows?|showing|displays?|displaying|says|gives?|giving|calculates?|calculating|comes? out (as|at))\b[^.?!]{1,30}\binstead of\b/,
        2,
        'shows one value instead of another',
      ),
      p(
        /\b(shows?|showing|shown|displays?|displaying|is|are|returns?|returning|(comes?|came|coming) (out|back)( as| at)?|reads?|says|stuck at|equals?)\s+(only\s+)?(\$?0(\.0+)?|zero|nan|null|undefined|negative)\b/,
        2,
        'reports a zero or empty value',
      ),
      p(
        /\b(shows?|showing|displays?|displaying|returns?|returning|lists?|listing|loads?|loading)\s+(no|zero)\s+([a-z]+\s+)?(products?|results?|data|options?|values?|projects?|designs?|items?|records?|panels?|rates?|lenders?|proposals?)\b|\b(shows?|showing|displays?|displaying)\s+nothing\b/,
        2,
        'shows nothing where there should be something',
      ),
      p(
        /\b(invalid (credentials|password|login|token|session)|access denied|unauthori[sz]ed|forbidden|locked out|session expired|(can'?t|cannot|unable to) reset)\b/,
        2,
        'reports a sign-in or access problem',
      ),
      p(
        /\b(getting|get|got|see|seeing|receiv(e|ing)|throws?|pops? up with|says)\b[^.?!]{0,20}\s["'][^"']{3,60}["']/,
        1,
        'quotes a message the app shows',
      ),
      p(
        /\beven after\b|\bstill (doesn'?t|does not|isn'?t|not|getting|happening|broken|failing)\b/,
        1,
        'persists after retrying',
      ),
      p(
        /\bsomething went wrong\b|\blooks? (broken|wrong|off)\b|\bseems? (broken|wrong|off|buggy)\b|\bnot behaving\b|\bweird (behaviou?r|issue)\b/,
        2,
        'says it looks broken',
      ),
      p(
        /\b(is |it'?s |this is )?blocking (\d+ |our |the |all |my )?(deals?|sales|customers?|homeowners?|us|work|reps|installs?|signings?)\b/,
        2,
        'says it is blocking work',
      ),
      p(
        /\b(still|keeps?) (shows?|showing|displays?|displaying|using|uses|pulling|pulls)\b[^.?!]{0,30}\b(old|previous|wrong|outdated|stale)\b/,
        2,
        'still shows old values after a change',
      ),
      p(
        /\bforgot (my|the|our) password\b|\b(reset|verification|confirmation|login) (e-?mail|link|code)s? (never|doesn'?t|does not|didn'?t|did not|won'?t|hasn'?t|has not)\b|\bnever (arrives?|arrived|comes? through|came through|gets? delivered|shows? up)\b|\bget back in\b/,
        3,
        'cannot get in, or an e-mail never arrives',
      ),
      p(
        /\b(but|while|whereas) the (design|proposal|contract|system|report|summary|dashboard|app)\b[^.?!]{0,20}\b(shows?|says|has|lists?|reads)\b|\bwhich (one )?is (correct|right)\b/,
        3,
        'two places disagree',
      ),
      p(
        /\b(since (this morning|yesterday|today|last (night|week)|the (last |latest |recent )?(update|release|deploy\w*))|all of a sudden|suddenly|intermittent(ly)?|started happening|used to work|(this |it )?(worked|was working) (fine |ok |perfectly )?(last (week|month|night)|yesterday|before (the|today|this))|happens (on|in) (chrome|safari|firefox|edge|every (browser|project|proposal)))\b/,
        1,
        'describes a recent change in behaviour',
      ),
      p(
        /\b(tried (chrome|safari|firefox|edge|another browser|a different browser|clearing|incognito|logging out)|clear(ed|ing)? (the |my )?cache|different browsers?|screenshot)\b/,
        1,
        'describes troubleshooting already tried',
      ),
    ],
  },
  {
    route: 'data.incentive_override',
    patterns: [
      p(
        /\bincentive overrides?\b|\boverrides? (for|on) (the |an |a |our )?[^.?!]{0,40}\b(incentives?|rebates?)\b/,
        4,
        'asks for an incentive override',
      ),
      p(
        new RegExp(
          `^(?=.*\\boverrid\\w*)(?=.*\\b(incentives?|rebates?|srecs?|tax credits?|grants?|pbi|performance.based)\\b)`,
        ),
        3,
        'asks to override an incentive',
      ),
      p(
        /\b(add|set ?up|create|update|change|apply|include|load|configure|adjust|correct)\b[^.?!]{0,60}\b(incentives?|rebates?|srecs?|performance.based incentives?|pbi|utility (rebate|incentive)s?|state (rebate|incentive)s?)\b/,
        2,
        'asks to add or change an incentive',
      ),
      p(/\b(incentives?|rebates?|srecs?)\b/, 1, 'mentions an incentive or rebate'),
    ],
  },
  {
    route: 'data.equipment',
    patterns: [
      p(
        /\b(modules?|panels?|inverters?|micro-?inverters?|batteries|battery|optimi[sz]ers?|racking|storage (systems?|units?)|ev chargers?|powerwalls?|equipment)\b/,
        1,
        'mentions equipment',
      ),
      p(
        /\b(equipment|component|product|module|panel|inverter) (list|library|catalog|catalogue|database|db|selection|options?)\b|\b(add|added|adding|load|loaded|upload|uploaded|include|included|create|created|update|updated|edit|edited)\b[^.?!]{0,80}\b(to|in|into|on|onto) (our|the|my) (equipment|catalog|catalogue|library|components?|product (list|library)|list of (panels|modules|inverters|batteries|equipment))\b|\b(add|added|adding|include|included)\b[^.?!]{0,80}\b(to )?what (we|our (reps|designers)) can (select|choose|pick|use)\b/,
        3,
        'asks to add equipment to the library',
      ),
      p(/\b(spec(ification)?s? ?sheets?|data ?sheets?|cut ?sheets?|equipment sheets?)\b/, 2, 'mentions spec sheets'),
      p(
        /\b(rec|enphase|solaredge|solar edge|sunpower|maxeon|q\.? ?cells|hanwha|lg|canadian solar|jinko(solar)?|longi|trina|panasonic|silfab|mission solar|tesla powerwall|powerwall|franklin( wh)?|generac|sol-?ark|apsystems|fronius|sma|iq ?[78]\w*|ja solar|meyer burger|aptos|hyundai|axitec|seg solar|ironridge|unirac|tigo|enphase iq|home hub|q\.? ?tron|q\.? ?peak)\b/,
        2,
        'names an equipment make or model',
      ),
      p(/\b[2-7]\d\d ?w(att)?s?\b|\b\d+(\.\d+)? ?kwh (battery|storage)\b/, 1, 'gives an equipment rating'),
      p(/\b(new|different|additional|another) (panel|module|inverter|battery|equipment)s?\b/, 1, 'about new equipment'),
    ],
  },
  {
    route: 'data.company_change',
    patterns: [
      p(
        /\b(contract|proposal|document|agreement|disclosure|welcome letter|email) templates?\b/,
        3,
        'asks to change a contract or document template',
      ),
      p(/\bproduct rules?\b|\b(eligibility|availability|state) rules?\b/, 3, 'asks to change product rules'),
      p(
        /\b(add|edit|remove|delete|update|change|replace|modify|revise|swap|upload)\b[^.?!]{0,60}\b(templates?|agreements?|contracts?|product rules?|financial products?|company (name|address|logo|info\w*|details|profile)|logo|branding|disclosures?|terms and conditions|adders?|dealer fees?|price per watt|ppw|pricing (model|rules?|settings?)|commission (rules?|structure))\b/,
        2,
        'asks to add, edit or remove company data',
      ),
      p(/\b(logo|branding|company (name|address|information|details|profile|phone))\b/, 2, 'mentions company details'),
      p(/\b(financial|finance|financing|loan|lease|ppa|cash) products?\b/, 1, 'mentions a financial product'),
      p(
        /\b(remove|delete|retire|archive|rename|edit|modify)\b[^.?!]{0,60}\b(financial|finance|financing|loan|lease|ppa|cash) products?\b/,
        2,
        'asks to edit or remove a financial product',
      ),
      p(
        /\b(revised|new|updated|latest) (version|installation agreement|agreement|contract|terms)\b/,
        1,
        'supplies a new document version',
      ),
    ],
  },
  {
    route: 'data.channel_partner_invite',
    patterns: [
      p(/\bchannel partners?\b/, 4, 'mentions a channel partner'),
      p(
        /\bdownstream (org|orgs|organi[sz]ations?|compan(y|ies)|partners?|dealers?|accounts?)\b/,
        4,
        'asks to add a downstream organization',
      ),
      p(
        /\b(sub-?dealers?|sub-?accounts?|sub-?organi[sz]ations?|child (org|organi[sz]ation|account)s?|resellers?|sales (partners?|organi[sz]ations?|dealers?|agents?|affiliates?)|affiliates?|dealer network)\b/,
        2,
        'mentions a dealer or sub-organization',
      ),
      p(
        /\b(invite|add|bring|onboard|connect|link|set up)\b[^.?!]{0,60}\b(under|onto|beneath|below|to|into|as part of) (our|my) (account|org|organi[sz]ation|company|umbrella|network)\b/,
        2,
        'asks to bring another organization under its account',
      ),
      p(/\binvit(e|ing)\b/, 1, 'asks to invite an organization'),
    ],
  },
  {
    route: 'config.feature_toggle',
    patterns: [
      p(new RegExp(`\\b(${s(FEATURE_NAMES)})\\b`), 2, 'names a platform feature'),
      p(new RegExp(`\\b(${s(TOGGLE_VERB)})\\b`), 1, 'asks to switch something on or off'),
      p(
        new RegExp(
          `^(?=.*\\b(${s(TOGGLE_VERB)})\\b)(?=.*\\b(features?|integrations?|modules?|tools?|options?|imagery|functionality|add-?ons?|${s(FEATURE_NAMES)})\\b)`,
        ),
        3,
        'asks to enable or disable a feature',
      ),
      p(
        /\b(do not|don'?t|no longer) want\b[^.?!]{0,40}\b(used|shown|visible|available|to (show|appear))\b/,
        2,
        'no longer wants a feature used',
      ),
    ],
  },
  {
    route: 'config.utility_degradation',
    patterns: [
      p(/\bdegradation\b|\bdegrad(e|es|ing) (rate|factor|percent)/, 4, 'mentions the degradation rate'),
      p(/\bdegrad\w*\b[^.?!]{0,50}(\d+(\.\d+)? ?(%|percent)|\brate\b|\bfactor\b)/, 2, 'gives a degradation percentage'),
    ],
  },
  {
    route: 'config.other',
    patterns: [
      p(/\b(configuration|config|configure|settings?|preferences?|defaults?)\b/, 1, 'mentions a configuration setting'),
      p(
        /\b(change|update|set|adjust|modify|increase|decrease|raise|lower|extend|shorten|reset)\b[^.?!]{0,50}\b(default|settings?|configuration|expiration|expiry|expires?|threshold|limit|markup|margin|tax rate|sales tax|escalat\w*|rounding|permissions?|roles?|number of days|time ?zone|units?|round(s|ing)?)\b/,
        2,
        'asks to change an account setting',
      ),
      p(
        /\b(can'?t|cannot|don'?t have|do not have|no|without) (access|permission|permissions|the ability) (to|for)?\b[^.?!]{0,40}\b(settings?|config\w*|admin)\b|\b(settings?|config\w*)\b[^.?!]{0,30}\b(we|i) (can'?t|cannot|don'?t have access|do not have access|are unable to|don'?t see|do not see|can'?t find)\b|\badmin(istrator)? (setting|panel|page|access|side|level)\b/,
        2,
        'a setting the customer cannot reach',
      ),
      p(
        /\b(valid|good|open|active) for \d+ days\b|\b\d+(\.\d+)? ?(days|%|percent) instead of \d+|\bfrom \d+(\.\d+)? ?(days|%|percent)? to \d+(\.\d+)? ?(days|%|percent)?\b/,
        2,
        'asks to change a value on the account',
      ),
      p(
        /\b(expir\w*|escalator|tax rate|sales tax|round(s|ing)? (to|up|down)|number of days|account[- ]level|org(anization)?[- ]level|company[- ]wide)\b/,
        1,
        'names an account-level setting',
      ),
      p(/\bhow (do|can|would|should) (i|we)\b/, -2, 'asks how to do it themselves'),
    ],
  },
  {
    route: 'finance.non_integrated',
    patterns: [
      p(
        /\bnon-?integrated\b|\bnot (an? )?integrated\b|\b(isn'?t|aren'?t|is not|are not) (one of )?(your |an? )?(integrated|integration|connected)\b|\bnot (integrated|connected) with sighten\b|\b(outside|not on) (your|the) (list of )?(integrated )?(lenders|financiers|partners)\b/,
        4,
        'financing that is not integrated with Sighten',
      ),
      p(
        /\b(credit unions?|local (bank|lender)s?|community bank|regional bank|in-?house (financing|loans?)|our own (loan|financing|lender)|cash (and|&|or) loans?|rate sheets?|rate cards?|(bank|lender)'s (rates|terms))\b/,
        2,
        'a lender outside the integrated financiers',
      ),
      p(
        /\b(add|set ?up|create|configure|offer|load|build)\b[^.?!]{0,60}\b(loan|financing|finance|lease|ppa|cash) (products?|options?|programs?|plans?)\b/,
        2,
        'asks to set up a financing product',
      ),
      p(/\b(loan|financing) (terms|rates|aprs?|tiers?)\b|\baprs?\b/, 1, 'gives financing terms'),
    ],
  },
  {
    route: 'finance.deactivate_integrated',
    patterns: [
      p(
        new RegExp(
          `^(?=.*\\b(${s(OFF_VERB)})\\b)(?=.*(\\b(integrat\\w*|lenders?|financiers?|financing (partner|provider|company|integration)s?)\\b|${s(FINANCIER_NAMES)}))`,
        ),
        4,
        'asks to deactivate integrated financing',
      ),
      p(
        /\bintegrated\b[^.?!]{0,30}\b(financ\w*|lenders?|loans?|partners?|products?)\b/,
        2,
        'mentions integrated financing',
      ),
      p(
        /\b(no longer|stopped|not) (work\w*|partner\w*|do\w* business|using) with\b|\bno longer using\b/,
        1,
        'ended a financing relationship',
      ),
    ],
  },
  {
    route: 'data.installer_contracts',
    patterns: [
      p(
        /\binstaller('s)? (contracts?|agreements?|documents?|docs|paperwork|files?|credentials|licen[cs]es?|insurance|compliance)\b/,
        4,
        'mentions installer contracts or documents',
      ),
      p(
        /\b(w-?9s?|certificates? of insurance|insurance (certificates?|docs|documents)|coi|proof of insurance|workers'? comp\w*|bonding|tax forms?)\b/,
        3,
        'mentions compliance documents (W-9, insurance)',
      ),
      p(
        /\b(contractor'?s?|business|state|installer|electrical|c-?10|c-?46) licen[cs]es?\b|\blicen[cs]e (number|certificate|renewal)s?\b|\blicen[cs]e (was|has been|got) renewed\b/,
        2,
        "mentions the installer's license",
      ),
      p(
        /\b(upload|attach(ed)?|put|add|update|replace|file)\b[^.?!]{0,50}\b(documents?|docs|paperwork|files?|forms?|certificates?)\b/,
        1,
        'asks to upload documents',
      ),
    ],
  },
  {
    route: 'finance.sunlight',
    patterns: [
      p(/\bsunlight\b/, 3, 'mentions Sunlight Financial'),
      p(/\bsunlight financial\b/, 1, 'names Sunlight Financial'),
      p(/\btesla\b/, -4, 'mentions Tesla'),
      p(
        /\bsunlight (partner|installer|dealer|contractor)s?\b|\bpartner (of|with) sunlight\b/,
        1,
        'the requester may be a Sunlight partner',
      ),
    ],
    reporterDomains: SUNLIGHT_DOMAINS,
  },
  {
    route: 'finance.sunlight_tesla',
    patterns: [
      p(/^(?=.*\bsunlight\b)(?=.*\btesla\b)/, 6, 'Sunlight Financial configuration for Tesla'),
      p(/\btesla\b(?! powerwall)/, 1, 'mentions Tesla'),
    ],
    reporterDomains: [...SUNLIGHT_DOMAINS, 'tesla.com'],
  },
  {
    route: 'finance.other_financier',
    patterns: [
      p(
        /\bpartnership\b|\b(partner|partnering|team up|work) with (an |the |your |one of your )?installers?\b|\bbecome (a |an )?(partner|lender|financier|financing partner|finance partner)\b|\b(start|begin) (offering|providing)\b[^.?!]{0,40}\b(loans?|financing|leases?|products?)\b|\bwhat do we need to do to (partner|work with)\b/,
        3,
        'asks to set up a financier partnership',
      ),
      p(
        new RegExp(
          `${s(FINANCIER_NAMES)}|\\b(lender|financier|financing company|finance company|financing provider)s?\\b`,
        ),
        1,
        'names a financier',
      ),
      p(
        /\b(we are|we're|this is|i am|i'm) (a |an |with )?[^.?!]{0,40}\b(lender|financier|finance|financial|financing|funding|capital|credit union|bank)\b/,
        2,
        'the sender is a financier',
      ),
      p(
        /\b(offer|make available|provide|extend)\b[^.?!]{0,40}\b(loans?|financing|leases?|products?)\b[^.?!]{0,40}\binstallers?\b/,
        2,
        'wants to offer its products to installers',
      ),
    ],
    reporterDomains: FINANCIER_DOMAINS,
    reporterWeight: 1,
  },
  {
    route: 'finance.integration_question',
    patterns: [
      p(
        /\b(webhooks?|api|apis|callbacks?|endpoints?|payloads?|json|xml|sandbox (credentials|environment|account)|api keys?|oauth|status codes?|postbacks?)\b/,
        4,
        'asks about the API or webhooks',
      ),
      p(
        /\b(our )?(devs|developers|dev team|engineering team|engineers|it team) (are|is) (building|integrating|working|coding)\b|\breceiver\b|\b(field|data) mapping\b/,
        1,
        'its developers are integrating',
      ),
      p(
        /\bintegrated (qualification|credit|prequal\w*|application|flow|decision\w*)\b|\b(pre-?qual\w*|qualification (flow|results?|process)|(credit|loan) (decisions?|applications?|checks?|pulls?|results?|stages?|status(es)?)|soft (pull|credit)|decision(ing)? (results?|status))\b/,
        2,
        'asks about the integrated qualification or credit flow',
      ),
      p(
        /\bintegrat(ion|ed)\b[^.?!]{0,40}\b(work|works|flow|spec\w*|docs|documentation|question|behav\w*|fields?|mapping)\b/,
        1,
        'asks how the integration works',
      ),
      p(
        /\b(do you|does sighten|will you|would you|does your (platform|system))\s+(send|push|post|pass|return)\b[^.?!]{0,40}\b(results?|decisions?|data|status(es)?|updates?|callbacks?)\b/,
        2,
        'asks what the platform sends',
      ),
      p(
        /\b(security researcher|responsible disclosure|bug bounty)\b/,
        -3,
        'a security report, not an integration question',
      ),
    ],
    reporterDomains: FINANCIER_DOMAINS,
    reporterWeight: 1,
  },
  {
    route: 'onboarding.everbright',
    patterns: [
      p(/everbright\W+new partner onboarding/, 8, 'subject is the EverBright new-partner onboarding form', {
        in: 'summary',
      }),
      p(/\bnew partner onboarding\b/, 3, 'a new-partner onboarding request'),
      p(/^(?=.*\beverbright\b)(?=.*\bonboard\w*)/, 2, 'EverBright onboarding'),
      p(/\binstaller (name|contact e-?mail)\s*:|\baccount manager\s*:/, 2, 'contains the onboarding form fields'),
      p(/\bapprov\w* (to |for )?(push|go)(ing)? live\b|\bpush(ed)? live\b/, 2, 'an approval to push a partner live'),
    ],
    reporterRoles: ['onboardingTeam'],
  },
  {
    route: 'project.legal_contact',
    patterns: [
      p(/\blegal (contact|name|owner|info\w*|details|signer)s?\b/, 4, 'asks to update legal contact information'),
      p(
        /\b(homeowners?|customers?|co-?signers?|signers?|applicants?|co-?applicants?|borrowers?|property owners?|title holders?|spouse)('s?)?\b[^.?!]{0,40}\b(names?|e-?mails?|phone( numbers?)?|address(es)?|contact|info\w*)\b/,
        2,
        "about the homeowner's or signer's details",
      ),
      p(
        /\b(changed|change|update|correct|fix|misspell\w*|typo|wrong)\b[^.?!]{0,40}\b(name|e-?mail address|phone number|mailing address|last name|first name)\b|\bname\b[^.?!]{0,30}\b(is |was )?(misspelled|spelled wrong|wrong|incorrect|changed)\b/,
        2,
        'asks to correct a name or contact detail',
      ),
      p(
        /\b(got married|married|divorc\w*|deceased|passed away|maiden name|name change|legally changed|new (last |first |family |legal )?name)\b/,
        2,
        "a change of the homeowner's name",
      ),
      p(/\bco-?(signer|applicant|borrower)s?\b/, 1, 'mentions a co-signer'),
    ],
  },
  {
    route: 'project.training',
    patterns: [
      p(/\btrain(ing|ings)?\b|\bre-?train\w*/, 3, 'asks for training'),
      p(
        /\b(teach(es)?|train(s)?|show(s|ed)?|walk(s)?|onboard|get)\b[^.?!]{0,30}\b(us|our (team|reps|staff|designers|people|hires|employees|users|sales ?people|crew)|them|new (hires|reps|users|employees|staff|designers))\b[^.?!]{0,40}\b(how to|use|using|through|up to speed|the platform|sighten|the ropes|basics)\b/,
        2,
        'asks someone to teach the team',
      ),
      p(/\b(teach|teaches|show|shows) (us|our team|our staff|them)\b/, 1, 'asks someone to teach the team'),
      p(/\b(session|webinar|workshop|class|lesson|onboarding call)\b/, 1, 'asks for a session'),
      p(
        /\b(refresher|crash course|lunch and learn|training call|walk-?through session)\b/,
        2,
        'asks for a refresher session',
      ),
      p(
        /\bnew (hires|reps|employees|users|designers|staff|team members|sales ?people)\b|\b(hired|brought on|onboarded|added) (\w+ )?(new )?(reps|designers|people|employees|staff|sales ?people|team members)\b/,
        1,
        'has new staff to bring up to speed',
      ),
      p(
        /\b(schedule|book|set up|arrange)\b[^.?!]{0,30}\b(session|time|call|meeting)\b/,
        1,
        'asks to schedule a session',
      ),
    ],
  },
  {
    route: 'project.other',
    patterns: [
      p(/\bun-?archiv\w*|\bunarchiv\w*|\bundelet\w*/, 3, 'asks to un-archive a project'),
      p(
        /^(?=.*\b(restor\w*|recover\w*|bring (it|them|that|this) back|revert\w*|reopen\w*|re-open\w*|retriev\w*|reactivat\w*|re-activat\w*|un-?hide|(make|set|mark) (it|them|this|that) (active|visible|live) again)\b)(?=.*\b(projects?|sites?|proposals?|designs?)\b)/,
        3,
        'asks to restore a project',
      ),
      p(
        /\b(archived|deleted|removed|closed)\b[^.?!]{0,30}\b(by mistake|accidentally|in error|by accident)\b|\b(accidentally|mistakenly|inadvertently) (archived|deleted|removed|closed)\b/,
        2,
        'a project archived or deleted by mistake',
      ),
      p(/\bprojects? (#|no\.?|number|id)? ?\d{3,}\b|\bsite (#|id)? ?\d{3,}\b/, 1, 'names a specific project'),
      p(
        /\b(transfer|move|reassign|merge|duplicate|copy)\b[^.?!]{0,30}\b(projects?|sites?)\b|\bchange the (owner|sales ?rep|installer) (of|on) (a |the |this |our )?(project|site)\b/,
        3,
        'asks to move or reassign a project',
      ),
      p(/\b(project|site)[- ]specific\b/, 2, 'a project-specific change'),
    ],
  },
  {
    route: 'feature_request',
    patterns: [
      p(
        /\bfeature requests?\b|\b(enhancement|improvement|feature) (requests?|ideas?|suggestions?)\b|\bwish ?list\b/,
        4,
        'calls it a feature request',
      ),
      p(
        /(?<!no )\b(idea|ideas|suggestion|suggestions|suggest|enhancement|enhancements)\b/,
        2,
        'offers an idea or suggestion',
      ),
      p(
        /\b(it would|it'?d|that would|that'?d) be (so |really |very |super )?(great|nice|helpful|awesome|useful|amazing|good|handy|ideal)\b|\bwould (love|like) (to see|it if|a way|the ability)\b|\bwould love\b|\bwish (we|you|there|it|sighten) (could|was|were|had|would)\b|\bhow about (adding|a)\b/,
        3,
        'wishes the product did something new',
      ),
      p(
        /\b(please|could you|can you|would you) consider\b|\b(any|are there|do you have) plans to\b|\broadmap\b|\bin a future (release|version|update)\b|\bfuture (feature|enhancement)\b/,
        2,
        'asks for it on the roadmap',
      ),
      p(
        /\b(add|build|introduce|implement|support|create|offer|provide)\b[^.?!]{0,20}\b(the |an? |some )?(ability|option|way|feature|functionality|setting|capability) to\b/,
        2,
        'asks for a new capability',
      ),
      p(
        /\bwould make\b[^.?!]{0,50}\b(easier|faster|simpler|better|quicker|nicer)\b|\bwould (help|save) (us|our|a lot)\b|\bsave (us )?(a lot of )?time\b/,
        2,
        'describes how a change would help',
      ),
      p(
        /\b(dark mode|mobile app|app for|bulk (edit\w*|update\w*|action)|keyboard shortcuts?|ui|ux|user interface|usability|layout|customi[sz]able)\b/,
        1,
        "about the product's interface",
      ),
    ],
  },
  {
    route: 'non_platform',
    patterns: [
      p(
        /\b(trade ?shows?|booths?|exhibitors?|exhibit(ing)? at|expo|(join|attend|register for) our (free |upcoming |next )?webinars?|sponsorships?|sponsor(ing)? (the|our)|conference(?! call)|attendee list|event passes?)\b/,
        3,
        'about a trade show or event',
      ),
      p(
        /\b(early[- ]bird|reserve your|secure your (spot|booth|seat)|book your (booth|spot|seat|table|space)|register (now|today|here|for (our|the|this|a) (free )?(webinar|event|summit|session))|free webinar|(our|upcoming) webinar|join \d+ (exhibitors|attendees|companies|brands)|registration (is )?(open|closing)|rates end|limited (spots|space|time)|filling (up )?fast|last chance|special offer|act now)\b/,
        2,
        'marketing language',
      ),
      p(
        /\b(resume|résumé|cv|cover letter|job (application|opening|posting|opportunit\w*)|candidate|internship|careers?|apply(ing)? for (the|a|your)? ?[^.?!]{0,40}\b(position|role|opening|job)\b|(position|role|opening) (you posted|on linkedin|on indeed)|(saw|noticed|found) your (job )?(opening|posting|listing|ad)|(a |the )?(position|role|job|opening) (at|with) sighten|application for (the |a )?[^.?!]{0,40}\b(specialist|manager|engineer|position|role|analyst|representative|coordinator|associate|developer|designer|intern)\b)/,
        4,
        'a job application',
      ),
      p(
        /\bwe (help|build|design|create|provide|offer|specialize in|work with) [^.?!]{0,40}\bfor (saas|b2b|software|tech|solar)? ?(companies|businesses|brands|teams|firms|startups)\b|\bwe help (companies|businesses|teams|saas|brands|organi[sz]ations|software|firms|startups|solar companies)\b|\b(companies|businesses|teams|firms) like yours\b|\b(partnering|working) with (companies|businesses) like\b/,
        3,
        'a vendor pitching its services',
      ),
      p(
        /\b(reduce|cut|lower|slash|save on|trim)\b[^.?!]{0,30}\b(your )?(spend|spending|costs?|bills?|expenses|overhead)\b/,
        2,
        'offers to cut costs',
      ),
      p(
        /\b(have|got|spare|grab|find) (\d+|fifteen|ten|twenty|thirty|a few) (minutes|mins)\b|\b(quick|short|brief) (call|chat|intro|meeting)\b|\b(show|walk|tell) you (how|what|through)\b|\bto introduce (myself|our)\b/,
        2,
        'asks for a sales call',
      ),
      p(
        /\b(aws|cloud (bill|spend|costs?|hosting)|saas companies|seo|lead gen\w*|b2b|appointment setting|outsourc\w*|offshore|staff augmentation|marketing (services|agency)|web design|website redesign|app development|payroll|cold email|qualified (leads|appointments)|landing pages?|conversion rates?|conversions|website (design|traffic|redesign)|social media marketing|pay-?per-?click|ppc)\b/,
        2,
        'pitches an unrelated service',
      ),
      p(
        /\b(generate|book|deliver|send you)\b[^.?!]{0,30}\b(leads|appointments|meetings)\b/,
        2,
        'offers leads or appointments',
      ),
      p(
        /\b(i'?m|i am|we'?re|we are) reaching out (from|on behalf of)\b|\breaching out from\b|\bexclusive (solar )?leads\b/,
        2,
        'a cold outreach',
      ),
      p(/\bunsubscribe\b|\bopt out of (these |future )?emails\b|\bnewsletter\b/, 2, 'bulk e-mail'),
      p(
        /\b(security researcher|responsible disclosure|bug bounty|vulnerabilit(y|ies) (in|on|affecting) your)\b/,
        3,
        'an unsolicited security report',
        { attention: true },
      ),
      p(
        /\b(existing|current) (customer|client)s?\b|\b(i am|i'm|we are|we're) (a |an )?(existing |current |long-?time )?(customer|client)s? of (yours|sighten)\b|\bour account with you\b/,
        0,
        'mentions an existing customer',
        {
          attention: true,
        },
      ),
      p(
        /\b(legal action|lawsuits?|sue|suing|attorneys?|lawyers?|litigation|subpoena|cease and desist|court|legal notice|counsel|legal department)\b/,
        0,
        'mentions legal matters',
        { attention: true },
      ),
      p(
        /\b(security|vulnerabilit\w*|breach\w*|hack(ed|er|ers|ing)?|phishing|exploit\w*|data (leak|exposure)|exposed|compromised|malware|ransomware)\b/,
        0,
        'mentions security or a breach',
        { attention: true },
      ),
      p(
        /\b(complaints?|fraud\w*|scam\w*|bbb|better business bureau|regulator\w*|attorney general|chargebacks?)\b/,
        0,
        'mentions a complaint or fraud',
        { attention: true },
      ),
    ],
  },
];
