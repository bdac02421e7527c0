// The text of a live capture: netsleuth's capture format, written by the capture layer.
import { formatNetsleuthCapture, type NetsleuthCaptureHeader } from '../capture/netsleuth-capture.js';
import type { Connection } from '../model/connection.js';

export type CaptureHeader = NetsleuthCaptureHeader;

export function formatLiveCapture(header: CaptureHeader, connections: readonly Connection[]): string {
  return formatNetsleuthCapture(header, [...connections]);
}
