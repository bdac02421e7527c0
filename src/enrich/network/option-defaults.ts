// Defaults of the registration-data flags, apart from the code that uses them: help text
// and option parsing need the numbers without loading the RDAP/whois clients.

/** Heaviest remotes asked about besides cluster members (--rdap-top). */
export const DEFAULT_RDAP_TOP = 25;
/** Upper bound on the addresses asked about in one run. */
export const DEFAULT_RDAP_LIMIT = 5000;
/** Per RDAP question (--rdap-timeout). */
export const DEFAULT_RDAP_TIMEOUT_MS = 10_000;
/** Questions per second to one registry (--rdap-rate). */
export const DEFAULT_RDAP_RATE = 2;
/** The cache dir's folder of lists 'netsleuth update' fetched. */
export const BLOCKLIST_DIR = 'blocklists';
