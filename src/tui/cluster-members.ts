// Which remotes belong to a cluster, by the cluster's kind and key
// ('147.46.0.0/16', '9488', 'Seoul National University', 'KR').
import type { Cluster, ClusterKind, RemoteProfile } from '../model/analysis.js';
import { inRange, parseCidr } from './remote-index.js';
import { remoteName } from '../analyze/profiles.js';

export function clusterMembers(remotes: readonly RemoteProfile[], kind: ClusterKind, key: string): RemoteProfile[] {
  switch (kind) {
    case 'prefix': {
      const range = parseCidr(key);
      return range ? remotes.filter((remote) => inRange(remote.ip, range)) : [];
    }
    case 'asn': {
      const asn = Number(key);
      return remotes.filter((remote) => remote.asn === asn);
    }
    case 'institution':
      return remotes.filter((remote) => remoteName(remote) === key);
    case 'country':
      return remotes.filter((remote) => remote.country === key);
  }
}

export function clustersOfKind(clusters: readonly Cluster[], kind: ClusterKind): Cluster[] {
  return clusters.filter((cluster) => cluster.kind === kind);
}
