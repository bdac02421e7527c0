// A traceroute/mtr/tracepath path, normalised across tools.
import type { Institution } from './attribution.js';

export interface TraceProbe {
  ip: string | null;
  name: string | null;
  rttMs: number | null;
  /** '!H', '!N', '!X', '!P', '!<500>' ... */
  annotation: string | null;
  asn: number | null;
  /** mtr only: loss percentage for this responder. */
  lossPct?: number | null;
  /** mtr/WinMTR only (rttMs is then the average): best and worst RTT, probes sent. */
  rttBestMs?: number | null;
  rttWorstMs?: number | null;
  sent?: number | null;
}

export interface TraceHop {
  ttl: number;
  /** One entry per probe printed; a silent hop (`* * *`) has probes with ip null, or none. */
  probes: TraceProbe[];
}

export interface TracePath {
  target: { ip: string | null; name: string | null };
  hops: TraceHop[];
  /** Did the destination answer? false when the last hops are silent. */
  reached: boolean;
  /** Tool/parser name that produced it ('traceroute-linux', 'mtr-json', 'live:traceroute', ...). */
  format: string;
  source?: { file: string; line: number };
  /** Raw output kept as evidence for live traces. */
  raw?: string;
}

export interface LocationHint {
  /** Where the hint came from: a hop's hostname token, a TLD, ... */
  source: string;
  country: string | null;
  city: string | null;
  confidence: 'low' | 'medium' | 'high';
  reason: string;
}

export interface HopAttribution {
  ttl: number;
  ip: string | null;
  name: string | null;
  asn: number | null;
  asOrg: string | null;
  country: string | null;
  hints: LocationHint[];
  /** Institution of the hop's address when the geo layer classified one (university, ISP, hosting...). */
  institution?: Institution | null;
}

/** A verdict combining an IP's own geo/ASN with its path. */
export interface TraceVerdict {
  ip: string;
  country: string | null;
  confidence: 'low' | 'medium' | 'high';
  /** Plain sentence, e.g. "destination silent; last 3 hops in AS4766 Korea Telecom, hostnames end in .kr -> KR". */
  summary: string;
  asPath: number[];
  lastResponsiveHop: HopAttribution | null;
}
