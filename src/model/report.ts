// The one report model every renderer (markdown, json, csv, svg, tui) reads.
// Renderers format; they never recompute.
import type { Analysis } from './analysis.js';
import type { CaptureRowsSection } from './capture-rows.js';
import type { FleetSection } from './fleet.js';
import type { CaptureInfo } from './connection.js';
import type { DataSource } from './attribution.js';
import type { BlocklistSection, NetworkSection } from './network.js';
import type { HopAttribution, TraceVerdict } from './trace.js';

export const REPORT_SCHEMA_VERSION = 1;

export interface Report {
  schemaVersion: number;
  tool: { name: string; version: string };
  /** ISO 8601 UTC; from --now / SOURCE_DATE_EPOCH when given. */
  generatedAt: string;
  inputs: CaptureInfo[];
  dataSources: DataSource[];
  analysis: Analysis;
  /** Options that shaped the run (dns on/off, trace on/off), for the methodology section. */
  run: { dns: boolean; trace: boolean; dnsServers: string[]; baseline: string | null };
  /** The --baseline capture(s), listed in the evidence beside the inputs. */
  baselineInputs?: CaptureInfo[];
  /** Per traced target: every hop attributed (ASN, organisation, country, hints) and the verdict. */
  pathAttributions?: PathEvidence[];
  /** Located sources for the SVG map, heaviest first; absent or empty when nothing was located. */
  map?: MapPoint[];
  /** "Whom to contact": abuse contacts of the remotes' networks; present when RDAP was asked (--rdap). */
  networks?: NetworkSection;
  /** "Known elsewhere": blocklist hits; present when lists were in use. */
  blocklists?: BlocklistSection;
  /** Hosts and the sources seen on several of them, when the report was built from a fleet store (report --store). */
  fleet?: FleetSection;
  /** The heaviest remotes' first capture rows (line numbers, ports, states, queues, programs), read back for the host views. */
  captureRows?: CaptureRowsSection;
}

/** What the report says about one traced path, keyed by the target address. */
export interface PathEvidence {
  target: string;
  hops: HopAttribution[];
  asPath: number[];
  verdict: TraceVerdict | null;
}

/** One bubble on the sources map: the remotes located at the same coordinates. */
export interface MapPoint {
  latitude: number;
  longitude: number;
  country: string | null;
  city: string | null;
  connections: number;
  remotes: number;
}
