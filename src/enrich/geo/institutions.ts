// Who is behind an address: academic, research (NRENs), government, isp, mobile,
// hosting or unknown. Signals, each with a weight and an evidence string:
//  - curated ASN lists (geo-data/institution-asns.json), e.g. AS1237 KREONET (KISTI) -> research
//  - AS organisation keywords in many languages (geo-data/institution-rules.json asName),
//    e.g. 'Seoul National University' contains 'University' -> academic
//  - the public suffix / registrable domain of PTR names via tldts ('.ac.kr', '.edu', '.go.kr')
//  - GeoIP2 traits.user_type when a commercial database supplies it
// The type with the highest total weight wins; ties go to the more specific type (order below).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Institution, InstitutionType } from '../../model/attribution.js';

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

interface CompiledRule {
  type: InstitutionType;
  regex: RegExp;
  weight: number;
}

/** All AS-name rules of one type as one regex, a capture group per rule (one scan instead of dozens). */
interface CombinedTypeRule {
  type: InstitutionType;
  regex: RegExp;
  weights: number[];
}

export interface InstitutionRules {
  asName: CombinedTypeRule[];
  ptrSuffix: CompiledRule[];
  ptrDomain: CompiledRule[];
  ptrName: CompiledRule[];
  userType: Map<string, InstitutionType>;
  curatedAsns: Map<number, { type: InstitutionType; name: string; source: string }>;
}

const INSTITUTION_TYPES: readonly InstitutionType[] = ['academic', 'research', 'government', 'isp', 'mobile', 'hosting', 'unknown'];
/** Tie-break order: the more specific, more telling type first. */
const TYPE_PRIORITY: readonly InstitutionType[] = ['research', 'academic', 'government', 'mobile', 'hosting', 'isp'];
const CURATED_ASN_WEIGHT = 3;

export const INSTITUTION_RULES_URL = new URL('../../../geo-data/institution-rules.json', import.meta.url);
export const INSTITUTION_ASNS_URL = new URL('../../../geo-data/institution-asns.json', import.meta.url);

function isInstitutionType(value: string): value is InstitutionType {
  return (INSTITUTION_TYPES as readonly string[]).includes(value);
}

function compile(specs: RuleSpec[], where: string): CompiledRule[] {
  return specs.map((spec) => {
    if (!isInstitutionType(spec.type)) throw new Error(`${where}: unknown institution type '${spec.type}'`);
    return { type: spec.type, regex: new RegExp(spec.pattern, 'iu'), weight: Number(spec.weight) };
  });
}

/** Pure: compile the curated JSON files. */
export function compileInstitutionRules(rules: RulesFile, asnLists: AsnListFile): InstitutionRules {
  const userType = new Map<string, InstitutionType>();
  for (const [key, value] of Object.entries(rules.userType)) if (isInstitutionType(value)) userType.set(key, value);
  const curatedAsns = new Map<number, { type: InstitutionType; name: string; source: string }>();
  for (const list of asnLists.lists) {
    if (!isInstitutionType(list.type)) throw new Error(`institution-asns: unknown type '${list.type}'`);
    for (const entry of list.asns) curatedAsns.set(entry.asn, { type: list.type, name: entry.name, source: list.source });
  }
  const asName: CombinedTypeRule[] = [];
  for (const rule of compile(rules.asName, 'asName')) {
    let combined = asName.find((item) => item.type === rule.type);
    if (!combined) {
      combined = { type: rule.type, regex: /(?!)/, weights: [] };
      asName.push(combined);
    }
    combined.weights.push(rule.weight);
  }
  for (const combined of asName) {
    // Rules keep their own groups out of the count: (?:...) around each, one capturing group per rule.
    const sources = rules.asName.filter((spec) => spec.type === combined.type).map((spec) => `(${spec.pattern.replace(/(?<!\\)\((?!\?)/g, '(?:')})`);
    combined.regex = new RegExp(sources.join('|'), 'i');
  }
  return {
    asName,
    ptrSuffix: compile(rules.ptrSuffix, 'ptrSuffix'),
    ptrDomain: compile(rules.ptrDomain, 'ptrDomain'),
    ptrName: compile(rules.ptrName, 'ptrName'),
    userType,
    curatedAsns,
  };
}

let defaultRules: InstitutionRules | null = null;

export function defaultInstitutionRules(): InstitutionRules {
  defaultRules ??= compileInstitutionRules(
    JSON.parse(readFileSync(INSTITUTION_RULES_URL, 'utf8')) as RulesFile,
    JSON.parse(readFileSync(INSTITUTION_ASNS_URL, 'utf8')) as AsnListFile,
  );
  return defaultRules;
}

/** 'Universit' matched in 'Seoul National University' reads better as 'University'. */
function wholeWord(text: string, match: RegExpExecArray): string {
  let end = match.index + match[0].length;
  while (end < text.length && end - match.index < 40 && /[\p{L}\p{N}]/u.test(text[end] ?? '')) end++;
  return text.slice(match.index, end);
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
  weight: number;
  evidence: string;
}

function ptrSignals(name: string, rules: InstitutionRules, signals: Signal[]): string | null {
  const host = name.toLowerCase().replace(/\.$/, '');
  const parsed = parseDomain(host);
  if (parsed.isIp || !parsed.domain || !parsed.publicSuffix) return null;
  for (const rule of rules.ptrSuffix) {
    if (rule.regex.test(parsed.publicSuffix)) signals.push({ type: rule.type, weight: rule.weight, evidence: `PTR name '${name}' is under '.${parsed.publicSuffix}' (${rule.type} domain)` });
  }
  for (const rule of rules.ptrDomain) {
    if (rule.regex.test(parsed.domain)) signals.push({ type: rule.type, weight: rule.weight, evidence: `PTR name '${name}' is in domain '${parsed.domain}' (${rule.type})` });
  }
  const subdomain = parsed.subdomain ?? '';
  for (const rule of rules.ptrName) {
    const match = rule.regex.exec(subdomain);
    if (match) signals.push({ type: rule.type, weight: rule.weight, evidence: `PTR name '${name}' looks like ${rule.type} naming ('${match[0].replace(/^[.-]|[.-]$/g, '')}')` });
  }
  return parsed.domain;
}

/**
 * Classify the holder of an address; null when there is nothing to go on
 * (no ASN, no AS name, no PTR name). Every answer carries its evidence.
 */
export function classifyInstitution(input: InstitutionInput, rules: InstitutionRules = defaultInstitutionRules()): Institution | null {
  const signals: Signal[] = [];
  const curated = input.asn !== null ? rules.curatedAsns.get(input.asn) : undefined;
  if (curated && input.asn !== null) {
    signals.push({ type: curated.type, weight: CURATED_ASN_WEIGHT, evidence: `AS${input.asn} is in the curated ${curated.type} list (${curated.name})` });
  }
  if (input.asOrg) {
    // One signal per type ('Telecommunication' is not both 'Telecom' and 'Telecommunication'),
    // weighted by the rule whose group matched.
    for (const rule of rules.asName) {
      const match = rule.regex.exec(input.asOrg);
      if (!match) continue;
      const group = match.findIndex((value, index) => index > 0 && value !== undefined);
      signals.push({ type: rule.type, weight: rule.weights[group - 1] ?? 1, evidence: `AS name '${input.asOrg}' contains '${wholeWord(input.asOrg, match)}'` });
    }
  }
  if (input.userType) {
    const type = rules.userType.get(input.userType);
    if (type) signals.push({ type, weight: 2, evidence: `GeoIP2 user type is '${input.userType}'` });
  }
  let ptrDomain: string | null = null;
  for (const name of input.ptrNames) ptrDomain = ptrSignals(name, rules, signals) ?? ptrDomain;

  const name = input.asOrg ?? curated?.name ?? ptrDomain ?? (input.asn !== null ? `AS${input.asn}` : null);
  if (name === null) return null;
  if (signals.length === 0) {
    const what = input.asOrg ? `AS name '${input.asOrg}'` : input.asn !== null ? `AS${input.asn}` : `PTR domain '${ptrDomain}'`;
    return { name, type: 'unknown', evidence: [`no rule matched ${what}`] };
  }
  const totals = new Map<InstitutionType, number>();
  for (const signal of signals) totals.set(signal.type, (totals.get(signal.type) ?? 0) + signal.weight);
  let best: InstitutionType = 'unknown';
  let bestTotal = 0;
  for (const type of TYPE_PRIORITY) {
    const total = totals.get(type) ?? 0;
    if (total > bestTotal) {
      best = type;
      bestTotal = total;
    }
  }
  const evidence = signals.filter((signal) => signal.type === best).map((signal) => signal.evidence);
  for (const signal of signals) if (signal.type !== best) evidence.push(`outweighed: ${signal.evidence}`);
  return { name, type: best, evidence };
}
