// 'w' on the host screen: the registry answer with a spinner while it runs, and the
// blocklist entries of the host; hostile registry strings stay inert on screen.
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import type { NetworkRegistration } from '../../src/model/network.js';
import { App, type AppProps } from '../../src/tui/app.js';
import { hostDetailLines } from '../../src/tui/panels/host-detail.js';
import { floodReport } from './fixtures.js';
import { KEYS, press, waitForFrame } from './helpers.js';

const SIZE = { columns: 110, rows: 70 };
const instances: { unmount(): void }[] = [];
afterEach(() => {
  for (const instance of instances.splice(0)) instance.unmount();
});

function start(props: Partial<AppProps> = {}) {
  const instance = render(<App report={floodReport()} color={false} size={SIZE} {...props} />);
  instances.push(instance);
  return instance;
}

const KISA: NetworkRegistration = {
  status: 'ok', handle: '147.46.0.0 - 147.46.255.255', name: 'SNU-NET', range: '147.46.0.0/16', startAddress: '147.46.0.0', endAddress: '147.46.255.255', country: 'KR', registry: 'APNIC',
  registered: '1990-01-01T00:00:00.000Z', lastChanged: '2025-06-02T07:41:12.000Z', org: 'Seoul National University', abuse: { emails: ['security@snu.example'], phones: ['+82-2-555-0101'], handle: 'IRT-KRNIC-KR', name: 'Seoul National University' },
  source: 'rdap+whois', url: 'http://127.0.0.1:1/ip/147.46.195.90', fetchedAt: '2026-12-07T00:00:00.000Z',
  nir: { registry: 'KRNIC', server: '127.0.0.1:2', range: '147.46.0.0 - 147.46.255.255', org: 'Seoul National University', name: 'SNU-NET', registered: '1990-01-01', emails: ['security@snu.example'], phones: [], status: 'ok' },
};

describe('registry lookup in the TUI', () => {
  it('w asks the registry for the host on screen, with a spinner, then shows owner and abuse contact', async () => {
    let answer: (network: NetworkRegistration) => void = () => {};
    const asked: string[] = [];
    const networkRunner = (ip: string) => new Promise<NetworkRegistration | null>((resolve) => {
      asked.push(ip);
      answer = resolve;
    });
    const { stdin, lastFrame } = start({ networkRunner });
    await press(stdin, '2', KEYS.enter);
    await waitForFrame(lastFrame, (frame) => frame.includes('press w to ask the registry'));
    expect(asked).toEqual([]);
    await press(stdin, 'w');
    await waitForFrame(lastFrame, (frame) => /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] asking the registry/.test(frame));
    expect(asked).toHaveLength(1);
    answer(KISA);
    const frame = await waitForFrame(lastFrame, (text) => text.includes('security@snu.example'));
    expect(frame).toContain('SNU-NET');
    expect(frame).toContain('147.46.0.0/16');
    expect(frame).toContain('IRT-KRNIC-KR');
    expect(frame).toContain('KRNIC');
  });

  it('says when lookups are off, and shows blocklist entries from the report', async () => {
    const report = floodReport();
    const first = report.analysis.remotes[0]!;
    const listed = { ...report, analysis: { ...report.analysis, remotes: [{ ...first, listedIn: [{ list: 'spamhaus-drop', entry: '147.46.0.0/16 ; SBL000', fetchedAt: null }] }, ...report.analysis.remotes.slice(1)] } };
    const { stdin, lastFrame } = start({ report: listed, networkRunner: null });
    await press(stdin, '2', KEYS.enter);
    await waitForFrame(lastFrame, (frame) => frame.includes('spamhaus-drop: 147.46.0.0/16 ; SBL000'));
    await press(stdin, 'w');
    await waitForFrame(lastFrame, (frame) => frame.includes('registry lookups are off'));
  });

  it('hostile registry strings and failures are shown inert', () => {
    const remote = floodReport().analysis.remotes[0]!;
    const hostile = { ...KISA, name: 'x\u001b[2J\u202eevil', org: 'bad\u0007org', abuse: { ...KISA.abuse!, emails: ['a@b.example'] } };
    const text = hostDetailLines({ ...remote, network: hostile }, null, { state: 'idle' }, { state: 'done' }).map((line) => line.text).join('\n');
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f\u202e]/);
    const failed = hostDetailLines({ ...remote, network: { ...KISA, status: 'timeout', detail: 'no answer from 127.0.0.1:1 within 300 ms' } }, null, { state: 'idle' }, { state: 'done' }).map((line) => line.text).join('\n');
    expect(failed).toContain('timeout: no answer from 127.0.0.1:1 within 300 ms');
  });
});
