// The detector registry: one file per detector, listed here once. Order is the
// report's order for equal severities.
import { concentration } from './concentration.js';
import { connectionFlood } from './connection-flood.js';
import { distributedSlowRequests } from './distributed-slow-requests.js';
import { idleEstablished } from './idle-established.js';
import { portScan } from './port-scan.js';
import { rdnsAnomaly } from './rdns-anomaly.js';
import { slowRequests } from './slow-requests.js';
import { surge } from './surge.js';
import { synFlood } from './syn-flood.js';
import type { IndicatorDetector } from './types.js';


export const INDICATOR_DETECTORS: readonly IndicatorDetector[] = Object.freeze([
  connectionFlood,
  synFlood,
  idleEstablished,
  slowRequests,
  distributedSlowRequests,
  portScan,
  rdnsAnomaly,
  concentration,
  surge,
]);
