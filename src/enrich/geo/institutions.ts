// Who is behind an address: academic, research (NRENs), government, isp, mobile, hosting,
// business (companies that use the internet rather than provide it) or unknown.
// Signals come in tiers, strongest first, and a stronger tier always decides:
//  1. curated ASN lists (geo-data/institution-asns.json), e.g. AS1237 KREONET (KISTI) -> research
//  2. the university list (geo-data/university-domains.json: an AS name that is a university's
//     name, a PTR name under a university's own domain), PTR public suffixes and registrable
//     domains via tldts ('.ac.kr', '.edu', '.go.kr', 'amazonaws.com'), GeoIP2 traits.user_type
//  3. words in the AS organisation name in many languages (geo-data/institution-rules.json
//     asName), e.g. 'Seoul National University' contains 'University' -> academic, and
//     PTR host-name patterns ('dynamic', 'lte')
// Within the deciding tier the type with the highest total weight wins; ties go to the more
// specific type (order below). Signals for other types stay in the evidence as 'outweighed:'.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Institution, InstitutionBasis, InstitutionConfidence, InstitutionType } from '../../model/attribution.js';

export interface InstitutionInput {
  asn: number | null;
  asOrg: string | null;
  /** Validated, sanitized PTR names (reverse DNS). */
  ptrNames: string[];
  /** GeoIP2 Enterprise/Insights traits.user_type, when known. */
  userType?: string | null;
}

interface RuleSpec {
  type: InstitutionType;
  pattern: string;
  weight: number;
  note?: string;
}

interface RulesFile {
  asName: RuleSpec[];
  ptrSuffix: RuleSpec[];
  ptrDomain: RuleSpec[];
  ptrName: RuleSpec[];
  userType: Record<string, string>;
}

interface AsnListFile {
  lists: { type: InstitutionType; source: string; asns: { asn: number; name: string; country?: string }[] }[];
}

interface UniversityFile {
  /** The key is universityNameKey(name), computed when the file is built. */
  universities: [name: string, country: string, domains: string[], key?: string][];
}

interface CompiledRule {
  type: InstitutionType;
  /** The rule as written ('iu'): the authority for any text. */
  regex: RegExp;
  /** The same rule without the u flag, used on ASCII-only text, where both match alike (see asciiTwin). */
  asciiRegex: RegExp;
  weight: number;
}

/** All AS-name rules of one type: one combined regex rejects most names in one scan; the rules themselves pick the heaviest match. */
interface CombinedTypeRule {
  type: InstitutionType;
  regex: RegExp;
  asciiRegex: RegExp;
  /** Heaviest first; equal weights in file order. */
  rules: CompiledRule[];
}

export interface UniversityIndex {
  /** Registrable domain (or listed subdomain) -> university name. */
  byDomain: Map<string, string>;
  /** Normalised name (see universityNameKey) -> university name. */
  byName: Map<string, string>;
}

export interface InstitutionRules {
  asName: CombinedTypeRule[];
  ptrSuffix: CompiledRule[];
  ptrDomain: CompiledRule[];
  ptrName: CompiledRule[];
  userType: Map<string, InstitutionType>;
  curatedAsns: Map<number, { type: InstitutionType; name: string; source: string }>;
  universities: UniversityIndex;
}

const INSTITUTION_TYPES: readonly InstitutionType[] = ['academic', 'research', 'government', 'isp', 'mobile', 'hosting', 'business', 'unknown'];
/**
 * Tie-break order. 'Research' and 'Laboratories' alone are weak words (companies use them:
 * 'Abacus Research AG'), so research yields every tie; its strong rules weigh more instead.
 * Business is what is left of a company name, so it yields to every provider type.
 */
const TYPE_PRIORITY: readonly InstitutionType[] = ['academic', 'government', 'mobile', 'hosting', 'isp', 'business', 'research'];

/** Tier of each kind of signal: a higher tier decides, whatever the weights below it. */
const BASIS_TIER: Record<Exclude<InstitutionBasis, 'none'>, number> = {
  'curated-asn': 3,
  'university-list': 2,
  'ptr-domain': 2,
  'user-type': 2,
  'as-name': 1,
  'ptr-name': 1,
};
const TIER_CONFIDENCE: Record<number, InstitutionConfidence> = { 3: 'high', 2: 'medium', 1: 'low' };

export const INSTITUTION_RULES_URL = new URL('../../../geo-data/institution-rules.json', import.meta.url);
export const INSTITUTION_ASNS_URL = new URL('../../../geo-data/institution-asns.json', import.meta.url);
export const UNIVERSITY_DOMAINS_URL = new URL('../../../geo-data/university-domains.json', import.meta.url);

function isInstitutionType(value: string): value is InstitutionType {
  return (INSTITUTION_TYPES as readonly string[]).includes(value);
}

/**
 * V8 runs case-insensitive regexes 10-20x slower with the u flag. On text that is all ASCII
 * the flag changes nothing for a pattern without u-only syntax (\\p, \\u{...}), astral
 * characters, or the two non-ASCII letters whose case folding is ASCII (U+017F, U+212A), also
 * not reachable through a class range with a non-ASCII end: an ASCII character then matches a
 * pattern character alike under both flags. Any other pattern keeps the u flag on every text.
 */
const NEEDS_UNICODE_FLAG = /\\[pPuxck]|[\ud800-\udfff\u017f\u212a]|[^\x00-\x7f]-|-[^\x00-\x7f]/;

function asciiTwin(regex: RegExp): RegExp {
  if (NEEDS_UNICODE_FLAG.test(regex.source)) return regex;
  try {
    return new RegExp(regex.source, regex.flags.replace('u', ''));
  } catch {
    return regex;
  }
}

const ASCII_ONLY = /^[\x00-\x7f]*$/;

/** The regex of a rule to run on `text`. */
function regexFor(rule: { regex: RegExp; asciiRegex: RegExp }, text: string): RegExp {
  return rule.asciiRegex !== rule.regex && ASCII_ONLY.test(text) ? rule.asciiRegex : rule.regex;
}

function compile(specs: RuleSpec[], where: string): CompiledRule[] {
  return specs.map((spec) => {
    if (!isInstitutionType(spec.type)) throw new Error(`${where}: unknown institution type '${spec.type}'`);
    const regex = new RegExp(spec.pattern, 'iu');
    return { type: spec.type, regex, asciiRegex: asciiTwin(regex), weight: Number(spec.weight) };
  });
}

const NAME_NOISE = /\b(the|of|de|del|der|di|da|do|des|la|le|and|und|et|y|e)\b/g;

/**
 * One key for the spellings of a university's name: case, accents, punctuation, articles and
 * 'University of X' / 'X University' word order do not matter.
 */
export function universityNameKey(name: string): string {
  // ASCII text has nothing to decompose and no marks; its letters and digits are [a-z0-9] once lower-cased.
  const folded = ASCII_ONLY.test(name)
    ? name.toLowerCase().replace(/&/g, ' and ').replace(/[^a-z0-9]+/g, ' ')
    : name
        .normalize('NFKD')
        .replace(/\p{M}/gu, '')
        .toLowerCase()
        .replace(/&/g, ' and ')
        .replace(/[^\p{L}\p{N}]+/gu, ' ');
  const words = folded
    .replace(NAME_NOISE, ' ')
    .split(' ')
    .filter(Boolean);
  return words.sort().join(' ');
}

function buildUniversityIndex(file: UniversityFile): UniversityIndex {
  const byDomain = new Map<string, string>();
  const byName = new Map<string, string>();
  for (const [name, , domains, precomputed] of file.universities) {
    for (const domain of domains) if (!byDomain.has(domain)) byDomain.set(domain, name);
    const key = precomputed ?? universityNameKey(name);
    // A key of one or two words ('Union College') is too easily some company's name.
    if (key.split(' ').length >= 2 && !byName.has(key)) byName.set(key, name);
  }
  return { byDomain, byName };
}

type CuratedAsns = InstitutionRules['curatedAsns'];

function compileCuratedAsns(asnLists: AsnListFile): CuratedAsns {
  const curatedAsns: CuratedAsns = new Map();
  for (const list of asnLists.lists) {
    if (!isInstitutionType(list.type)) throw new Error(`institution-asns: unknown type '${list.type}'`);
    for (const entry of list.asns) curatedAsns.set(entry.asn, { type: list.type, name: entry.name, source: list.source });
  }
  return curatedAsns;
}

/** Pure: compile the curated JSON files. */
export function compileInstitutionRules(rules: RulesFile, asnLists: AsnListFile, universities: UniversityFile = { universities: [] }): InstitutionRules {
  const userType = new Map<string, InstitutionType>();
  for (const [key, value] of Object.entries(rules.userType)) if (isInstitutionType(value)) userType.set(key, value);
  const curatedAsns = compileCuratedAsns(asnLists);
  const asName: CombinedTypeRule[] = [];
  for (const rule of compile(rules.asName, 'asName')) {
    let combined = asName.find((item) => item.type === rule.type);
    if (!combined) {
      combined = { type: rule.type, regex: /(?!)/, asciiRegex: /(?!)/, rules: [] };
      asName.push(combined);
    }
    combined.rules.push(rule);
  }
  for (const combined of asName) {
    combined.rules.sort((a, b) => b.weight - a.weight);
    combined.regex = new RegExp(combined.rules.map((rule) => `(?:${rule.regex.source})`).join('|'), 'iu');
    combined.asciiRegex = asciiTwin(combined.regex);
  }
  return {
    asName,
    ptrSuffix: compile(rules.ptrSuffix, 'ptrSuffix'),
    ptrDomain: compile(rules.ptrDomain, 'ptrDomain'),
    ptrName: compile(rules.ptrName, 'ptrName'),
    userType,
    curatedAsns,
    universities: buildUniversityIndex(universities),
  };
}

let defaultRules: InstitutionRules | null = null;
let defaultCurated: CuratedAsns | null = null;

/** The curated ASN lists alone (35 kB): all that classifying with precomputed AS-name facts needs. */
function defaultCuratedAsns(): CuratedAsns {
  defaultCurated ??= defaultRules?.curatedAsns ?? compileCuratedAsns(JSON.parse(readFileSync(INSTITUTION_ASNS_URL, 'utf8')) as AsnListFile);
  return defaultCurated;
}

/**
 * What AS-name facts computed ahead of time depend on: the AS-name rules, the university list and
 * this module's code. Facts filed under another fingerprint are not used.
 */
export function institutionRulesFingerprint(): string {
  // node:crypto only here: a run with the fingerprint recorded at install never loads it.
  const { createHash } = createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');
  const hash = createHash('sha256');
  for (const url of institutionRulesFiles()) hash.update(readFileSync(url)).update('\u0000');
  return hash.digest('hex').slice(0, 32);
}

/** The files institutionRulesFingerprint() hashes. */
export function institutionRulesFiles(): URL[] {
  return [INSTITUTION_RULES_URL, UNIVERSITY_DOMAINS_URL, new URL(import.meta.url)];
}

export function defaultInstitutionRules(): InstitutionRules {
  defaultRules ??= compileInstitutionRules(
    JSON.parse(readFileSync(INSTITUTION_RULES_URL, 'utf8')) as RulesFile,
    JSON.parse(readFileSync(INSTITUTION_ASNS_URL, 'utf8')) as AsnListFile,
    JSON.parse(readFileSync(UNIVERSITY_DOMAINS_URL, 'utf8')) as UniversityFile,
  );
  return defaultRules;
}

/** 'Universit' matched in 'Seoul National University' reads better as 'University'. */
function wholeWord(text: string, match: RegExpExecArray): string {
  let end = match.index + match[0].length;
  while (end < text.length && end - match.index < 40 && /[\p{L}\p{N}]/u.test(text[end] ?? '')) end++;
  return text.slice(match.index, end).trim();
}

type ParseDomain = typeof import('tldts').parse;
let parseDomainLoaded: ParseDomain | null = null;

/** tldts carries the public suffix list: loaded on the first PTR name, not at start-up. */
function parseDomain(host: string): ReturnType<ParseDomain> {
  parseDomainLoaded ??= (createRequire(import.meta.url)('tldts') as typeof import('tldts')).parse;
  return parseDomainLoaded(host);
}

interface Signal {
  type: InstitutionType;
  basis: Exclude<InstitutionBasis, 'none'>;
  weight: number;
  evidence: string;
}

/**
 * The university whose listed domain holds `host` (the longest listed suffix), if any; never
 * shorter than the registrable domain, so a stray public suffix in the list matches nothing.
 */
function universityOfHost(host: string, registrable: string, universities: UniversityIndex): { domain: string; name: string } | null {
  let at = 0;
  while (at >= 0 && host.length - at >= registrable.length) {
    const suffix = host.slice(at);
    const name = universities.byDomain.get(suffix);
    if (name !== undefined) return { domain: suffix, name };
    const dot = host.indexOf('.', at);
    at = dot < 0 ? -1 : dot + 1;
  }
  return null;
}

function ptrSignals(name: string, rules: InstitutionRules, signals: Signal[]): string | null {
  const host = name.toLowerCase().replace(/\.$/, '');
  const parsed = parseDomain(host);
  if (parsed.isIp || !parsed.domain || !parsed.publicSuffix) return null;
  for (const rule of rules.ptrSuffix) {
    if (regexFor(rule, parsed.publicSuffix).test(parsed.publicSuffix)) signals.push({ type: rule.type, basis: 'ptr-domain', weight: rule.weight, evidence: `PTR name '${name}' is under '.${parsed.publicSuffix}' (${rule.type} domain)` });
  }
  for (const rule of rules.ptrDomain) {
    if (regexFor(rule, parsed.domain).test(parsed.domain)) signals.push({ type: rule.type, basis: 'ptr-domain', weight: rule.weight, evidence: `PTR name '${name}' is in domain '${parsed.domain}' (${rule.type})` });
  }
  const subdomain = parsed.subdomain ?? '';
  for (const rule of rules.ptrName) {
    const match = regexFor(rule, subdomain).exec(subdomain);
    if (match) signals.push({ type: rule.type, basis: 'ptr-name', weight: rule.weight, evidence: `PTR name '${name}' looks like ${rule.type} naming ('${match[0].replace(/^[.-]|[.-]$/g, '')}')` });
  }
  const university = universityOfHost(host, parsed.domain, rules.universities);
  if (university) signals.push({ type: 'academic', basis: 'university-list', weight: 2, evidence: `PTR name '${name}' is under '${university.domain}', the domain of ${university.name} (university list)` });
  return university?.name ?? parsed.domain;
}

/**
 * What the AS-name rules and the university list say about one organisation name: per type,
 * the heaviest matching rule's weight and the word it matched; the university it names.
 * Depends on the name only, so it can be computed once per name ahead of time.
 */
export interface AsNameFacts {
  matches: [type: InstitutionType, weight: number, word: string][];
  university: string | null;
}

export function asNameFacts(asOrg: string, rules: InstitutionRules = defaultInstitutionRules()): AsNameFacts {
  // One signal per type ('Telecommunication' is not both 'Telecom' and 'Telecommunication'),
  // weighted by its heaviest matching rule (the first of equals gives the evidence).
  const matches: AsNameFacts['matches'] = [];
  const ascii = ASCII_ONLY.test(asOrg);
  for (const combined of rules.asName) {
    if (!(ascii ? combined.asciiRegex : combined.regex).test(asOrg)) continue;
    // Rules are kept heaviest first (stable): the first that matches is the heaviest, first of equals.
    for (const rule of combined.rules) {
      const match = (ascii ? rule.asciiRegex : rule.regex).exec(asOrg);
      if (match) {
        matches.push([combined.type, rule.weight, wholeWord(asOrg, match)]);
        break;
      }
    }
  }
  return { matches, university: rules.universities.byName.get(universityNameKey(asOrg)) ?? null };
}

/** Facts per AS name under the default rules: refining by PTR names classifies one AS name again for every address. */
const defaultFactsMemo = new Map<string, AsNameFacts>();
const FACTS_MEMO_ENTRIES = 100_000;

function defaultAsNameFacts(asOrg: string): AsNameFacts {
  let facts = defaultFactsMemo.get(asOrg);
  if (!facts) {
    facts = asNameFacts(asOrg, defaultInstitutionRules());
    if (defaultFactsMemo.size >= FACTS_MEMO_ENTRIES) defaultFactsMemo.clear();
    defaultFactsMemo.set(asOrg, facts);
  }
  return facts;
}

/** Facts as one line of JSON, for a file of them. */
export function encodeAsNameFacts(facts: AsNameFacts): string {
  return JSON.stringify([facts.matches, facts.university]);
}

/** The facts from encodeAsNameFacts; null when the text is not such a line. */
export function decodeAsNameFacts(text: string): AsNameFacts | null {
  try {
    const [matches, university] = JSON.parse(text) as [unknown, unknown];
    if (!Array.isArray(matches) || !(university === null || typeof university === 'string')) return null;
    for (const match of matches) {
      if (!Array.isArray(match) || match.length !== 3 || typeof match[0] !== 'string' || !isInstitutionType(match[0]) || typeof match[1] !== 'number' || typeof match[2] !== 'string') return null;
    }
    return { matches: matches as AsNameFacts['matches'], university };
  } catch {
    return null;
  }
}

function asNameSignals(asOrg: string, facts: AsNameFacts, signals: Signal[]): void {
  for (const [type, weight, word] of facts.matches) signals.push({ type, basis: 'as-name', weight, evidence: `AS name '${asOrg}' contains '${word}'` });
  if (facts.university !== null) signals.push({ type: 'academic', basis: 'university-list', weight: 2, evidence: `AS name '${asOrg}' is the university '${facts.university}' (university list)` });
}

/** The deciding type: the strongest tier with a signal, then the heaviest type in it, then TYPE_PRIORITY. */
function decide(signals: Signal[]): { type: InstitutionType; tier: number; basis: Exclude<InstitutionBasis, 'none'> } {
  let tier = 0;
  for (const signal of signals) tier = Math.max(tier, BASIS_TIER[signal.basis]);
  const totals = new Map<InstitutionType, number>();
  for (const signal of signals) if (BASIS_TIER[signal.basis] === tier) totals.set(signal.type, (totals.get(signal.type) ?? 0) + signal.weight);
  let best: InstitutionType = 'unknown';
  let bestTotal = 0;
  for (const type of TYPE_PRIORITY) {
    const total = totals.get(type) ?? 0;
    if (total > bestTotal) {
      best = type;
      bestTotal = total;
    }
  }
  const deciding = signals.find((signal) => signal.type === best && BASIS_TIER[signal.basis] === tier);
  return { type: best, tier, basis: deciding?.basis ?? 'as-name' };
}

/**
 * Classify the holder of an address; null when there is nothing to go on
 * (no ASN, no AS name, no PTR name). Every answer carries its evidence.
 */
export function classifyInstitution(input: InstitutionInput, rules: InstitutionRules = defaultInstitutionRules()): Institution | null {
  const signals: Signal[] = [];
  const curated = curatedSignal(input.asn, rules.curatedAsns, signals);
  if (input.asOrg) asNameSignals(input.asOrg, rules === defaultRules ? defaultAsNameFacts(input.asOrg) : asNameFacts(input.asOrg, rules), signals);
  if (input.userType) {
    const type = rules.userType.get(input.userType);
    if (type) signals.push({ type, basis: 'user-type', weight: 2, evidence: `GeoIP2 user type is '${input.userType}'` });
  }
  let ptrDomain: string | null = null;
  for (const name of input.ptrNames) ptrDomain = ptrSignals(name, rules, signals) ?? ptrDomain;
  return conclude(input.asn, input.asOrg, curated, ptrDomain, signals);
}

/**
 * classifyInstitution({asn, asOrg, ptrNames: []}) with the AS-name facts computed ahead of time
 * (see asNameFacts): the same answer, without the rules, regexes or university list.
 */
export function classifyWithAsNameFacts(asn: number | null, asOrg: string | null, facts: AsNameFacts | null): Institution | null {
  const signals: Signal[] = [];
  const curated = curatedSignal(asn, defaultCuratedAsns(), signals);
  if (asOrg && facts) asNameSignals(asOrg, facts, signals);
  return conclude(asn, asOrg, curated, null, signals);
}

function curatedSignal(asn: number | null, curatedAsns: CuratedAsns, signals: Signal[]): { type: InstitutionType; name: string } | undefined {
  const curated = asn !== null ? curatedAsns.get(asn) : undefined;
  if (curated && asn !== null) signals.push({ type: curated.type, basis: 'curated-asn', weight: 3, evidence: `AS${asn} is in the curated ${curated.type} list (${curated.name})` });
  return curated;
}

function conclude(asn: number | null, asOrg: string | null, curated: { name: string } | undefined, ptrDomain: string | null, signals: Signal[]): Institution | null {
  const name = asOrg ?? curated?.name ?? ptrDomain ?? (asn !== null ? `AS${asn}` : null);
  if (name === null) return null;
  if (signals.length === 0) {
    const what = asOrg ? `AS name '${asOrg}'` : asn !== null ? `AS${asn}` : `PTR domain '${ptrDomain}'`;
    return { name, type: 'unknown', basis: 'none', confidence: 'none', evidence: [`no rule matched ${what}`] };
  }
  const decision = decide(signals);
  const evidence = signals.filter((signal) => signal.type === decision.type).map((signal) => signal.evidence);
  for (const signal of signals) if (signal.type !== decision.type) evidence.push(`outweighed: ${signal.evidence}`);
  return { name, type: decision.type, basis: decision.basis, confidence: TIER_CONFIDENCE[decision.tier] ?? 'low', evidence };
}
