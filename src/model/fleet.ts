// What a report built from a fleet store adds: the hosts, and the sources seen on several of them.

export interface FleetHost {
  name: string;
  /** Snapshots of this host in the selection. */
  captures: number;
  /** ISO 8601 UTC of its first and last snapshot with a known time; null when none had one. */
  firstCapture: string | null;
  lastCapture: string | null;
  /** Sockets with a remote peer, summed over its snapshots. */
  connections: number;
  /** Connections per snapshot of this host, in time order: the host's timeline. */
  series: number[];
}

/** One host on which a source was seen. */
export interface HostSighting {
  host: string;
  /** ISO 8601 UTC of the first and last snapshot of that host that had the source (null: time unknown). */
  firstSeen: string | null;
  lastSeen: string | null;
  connections: number;
}

export type FleetSourceKind = 'address' | 'prefix' | 'asn' | 'institution';

/** A source (an address, or a prefix / ASN / institution cluster) seen on two or more hosts. */
export interface FleetSource {
  kind: FleetSourceKind;
  /** The address, '147.46.0.0/16', '9488', or the institution name. */
  key: string;
  label: string;
  connections: number;
  /** Heaviest host first (ties by name). */
  hosts: HostSighting[];
}

export interface FleetSection {
  /** The store as the user named it (password redacted). */
  store: string;
  selection: { hosts: string[]; since: string | null; until: string | null };
  /**
   * Width of one analysis capture in milliseconds when snapshots were grouped by time (too many
   * to analyse one by one); null when every snapshot is a capture of its own.
   */
  bucketMs: number | null;
  /** By name. */
  hosts: FleetHost[];
  /** Seen on the most hosts first, then by connections, kind and key. */
  sources: FleetSource[];
}
