import { describe, expect, it } from 'vitest';
import { DEFAULT_ANALYSIS_OPTIONS, parseThresholdArgs, resolveAnalysisOptions } from '../../src/analyze/options.js';

describe('parseThresholdArgs', () => {
  it('reads counts, percentages and the web port list', () => {
    const result = parseThresholdArgs(['floodPerRemote=300', 'synRecvShare=30', 'concentrationShare=75%', 'webPorts=80, 8080', 'surgeFactor=2.5']);
    expect(result).toEqual({ ok: true, options: { floodPerRemote: 300, synRecvShare: 0.3, concentrationShare: 0.75, webPorts: [80, 8080], surgeFactor: 2.5 } });
    if (!result.ok) return;
    expect(resolveAnalysisOptions(result.options)).toMatchObject({ floodPerRemote: 300, portScanPorts: DEFAULT_ANALYSIS_OPTIONS.portScanPorts });
  });

  it('accepts every option name the analysis has', () => {
    const texts = Object.keys(DEFAULT_ANALYSIS_OPTIONS).map((name) => (name === 'webPorts' ? 'webPorts=443' : `${name}=5`));
    const result = parseThresholdArgs(texts);
    expect(result.ok).toBe(true);
  });

  it.each([
    ['floodperremote=3', /unknown threshold 'floodperremote=3'.*floodPerRemote/],
    ['floodPerRemote', /unknown threshold|expected a positive whole number/],
    ['floodPerRemote=-1', /expected a positive whole number/],
    ['floodPerRemote=1.5', /expected a positive whole number/],
    ['synRecvShare=0', /percentage above 0 and at most 100/],
    ['synRecvShare=150', /percentage above 0 and at most 100/],
    ['webPorts=80,http', /comma-separated list of ports/],
    ['webPorts=70000', /comma-separated list of ports/],
    ['surgeFactor=abc', /positive number/],
  ])('refuses %s', (text, message) => {
    const result = parseThresholdArgs([text]);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(message);
  });
});
