// Who owns a remote's network and whom to tell (RDAP, national-registry whois),
// and who else has listed it (public blocklists). Every string here came from a
// registry or a list and was sanitised where it entered the model.

/** The five regional registries, or a national one reached through its whois. */
export type RegistryName = 'ARIN' | 'RIPE NCC' | 'APNIC' | 'LACNIC' | 'AFRINIC' | 'KRNIC' | 'JPNIC' | 'TWNIC' | 'CNNIC' | 'IDNIC' | 'VNNIC' | 'unknown';

/**
 * Outcome of asking about one network: 'ok' (an answer), 'cached' (from the cache),
 * 'not-found' (404), 'rate-limited' (429 after the retries), 'timeout', 'bad-answer'
 * (invalid JSON, too large, no network object, redirect loop), 'error' (refused, 5xx...),
 * 'not-cached' (--rdap-cache-only and nothing cached), 'skipped' (special-purpose address).
 */
export type NetworkStatus = 'ok' | 'cached' | 'not-found' | 'rate-limited' | 'timeout' | 'bad-answer' | 'error' | 'not-cached' | 'skipped';

export interface AbuseContact {
  emails: string[];
  phones: string[];
  /** Registry handle of the contact (entity with role `abuse`, or the national registry's contact). */
  handle: string | null;
  /** The contact's display name (vCard `fn`), when given. */
  name: string | null;
}

/** The contact a whois answer gives (a national registry's, read by enrich/network/whois-*.ts). */
export interface WhoisContact {
  /** The most specific range it returned, as printed ('115.1.2.0 - 115.1.2.63'). */
  range: string | null;
  org: string | null;
  name: string | null;
  registered: string | null;
  emails: string[];
  phones: string[];
}

/** What a national registry's whois added (KRNIC/KISA, JPNIC, ...). */
export interface NationalRegistration extends WhoisContact {
  registry: RegistryName;
  /** whois server asked, host:port. */
  server: string;
  /** Why the whois answer was not used, when it was not. */
  status: 'ok' | 'not-found' | 'timeout' | 'error' | 'bad-answer' | 'not-cached';
  detail?: string;
}

export type NetworkSource = 'rdap' | 'rdap+whois' | 'rdap+rir-whois' | 'whois' | 'whois+nir' | 'none';

export interface NetworkRegistration {
  status: NetworkStatus;
  /** Human explanation for any status other than ok/cached ('HTTP 404 from rdap.apnic.net'). */
  detail?: string;
  handle: string | null;
  name: string | null;
  /** CIDR(s) covering the registered range, space-separated when the range is not one prefix. */
  range: string | null;
  startAddress: string | null;
  endAddress: string | null;
  country: string | null;
  registry: RegistryName;
  /** ISO 8601 dates from RDAP events (registration, last changed). */
  registered: string | null;
  lastChanged: string | null;
  /** The registrant organisation (entity with role `registrant`), else the network's description. */
  org: string | null;
  abuse: AbuseContact | null;
  /**
   * Where the data came from: 'rdap'; 'rdap+whois' when a national registry's whois supplied
   * the contact; 'rdap+rir-whois' when RDAP named no abuse contact and the RIR's port-43 whois
   * did; 'whois' when RDAP failed and the RIR's whois answered instead ('whois+nir' when a
   * national registry's whois then supplied the contact); 'none' when nothing answered.
   */
  source: NetworkSource;
  /** The RDAP URL the answer came from (after redirects). */
  url: string | null;
  /** When it was fetched (ISO UTC): from the cache for 'cached'. */
  fetchedAt: string | null;
  nir?: NationalRegistration;
}

/** One blocklist entry that covers a remote. */
export interface BlocklistHit {
  /** The list's name ('spamhaus-drop', 'firehol-level1', a file name). */
  list: string;
  /** The entry as the list gives it ('1.4.0.0/17 ; SBL256893', 'AS4766 ; KR | KORNET'). */
  entry: string;
  /** When the list was fetched (ISO UTC), null for a local file read as it is. */
  fetchedAt: string | null;
}

/** A list used in a run, for the evidence. */
export interface BlocklistSource {
  name: string;
  /** URL or path it came from. */
  origin: string;
  fetchedAt: string | null;
  sizeBytes: number;
  sha256: string;
  entries: number;
}

/** One row of "Whom to contact": one abuse contact and what it covers in this report. */
export interface ContactRow {
  /** The contact's first e-mail, else its handle ('abuse@bora.net', 'IRT-KRNIC-KR'). */
  key: string;
  contact: AbuseContact;
  networks: { handle: string | null; name: string | null; range: string | null; registry: RegistryName; country: string | null; url: string | null }[];
  /** Remote addresses in those networks, heaviest first. */
  addresses: string[];
  connections: number;
  /** Fraction 0..1 of all connections in the report. */
  share: number;
  /** How the contact was found (see NetworkRegistration.source). */
  source: NetworkRegistration['source'];
}

/** A network asked about that yielded no contact (for the report's status lines). */
export interface NetworkProblem {
  addresses: string[];
  status: NetworkStatus;
  detail: string;
  registry: RegistryName;
}

export interface NetworkSection {
  contacts: ContactRow[];
  /** Networks with an answer but no abuse contact, and lookups that failed. */
  problems: NetworkProblem[];
  /** How many RDAP/whois questions were asked over the network in this run. */
  queries: { rdap: number; whois: number; cached: number };
}

export interface BlocklistSection {
  lists: BlocklistSource[];
  /** Remotes found on at least one list, heaviest first. */
  hits: { ip: string; connections: number; listedIn: BlocklistHit[] }[];
}
