// The host screen lists the remote's first capture rows, read back from the capture files when
// the host is opened (the drill-down index), as the parser gives them; hostile program names inert.
import { PassThrough, Readable } from 'node:stream';
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { readCaptures } from '../../src/capture/read-inputs.js';
import { readRemoteRows } from '../../src/capture/read-rows.js';
import { connectionHasPeer } from '../../src/capture/row-index.js';
import { captureRowOf, type InputRowIndex } from '../../src/model/capture-rows.js';
import { investigate } from '../../src/pipeline.js';
import { App } from '../../src/tui/app.js';
import { captureRowLines, captureRowText } from '../../src/tui/panels/host-detail.js';
import { PROJECT_ROOT } from '../helpers/run-cli.js';
import { KEYS, press, waitForFrame } from './helpers.js';

const INCIDENT = ['01', '02', '03', '04'].map((n) => `samples/incident/incident-${n}.txt`);
const instances: { unmount(): void }[] = [];
afterEach(() => {
  for (const instance of instances.splice(0)) instance.unmount();
});

describe('capture rows on the host screen', { timeout: 90_000 }, () => {
  it('opening a host reads its first rows back from the captures: the parser\'s rows, with file and line', async () => {
    let indexes: InputRowIndex[] = [];
    const io = { stdin: Readable.from([]), stderr: new PassThrough(), env: {}, cwd: PROJECT_ROOT };
    const report = await investigate({ inputs: INCIDENT, rdns: null, trace: false, now: new Date('2026-11-28T12:00:00Z'), onRowIndexes: (found) => { indexes = found; } }, io);
    expect(indexes).toHaveLength(4);
    const asked: string[] = [];
    const rowReader = async (ip: string) => {
      asked.push(ip);
      return (await readRemoteRows(indexes, [ip])).get(ip)!;
    };
    const instance = render(<App report={report} color={false} size={{ columns: 150, rows: 80 }} rowReader={rowReader} />);
    instances.push(instance);
    const { stdin, lastFrame } = instance;
    expect(asked).toEqual([]);
    const first = report.analysis.remotes[0]!;
    await waitForFrame(lastFrame, (text) => text.includes('Overview'), 30_000);
    await press(stdin, '2');
    await waitForFrame(lastFrame, (text) => text.includes(first.ip), 30_000);
    await press(stdin, KEYS.enter);
    const frame = await waitForFrame(lastFrame, (text) => text.includes('rows in all'), 30_000);
    expect(asked).toEqual([first.ip]);
    const expected = (await readCaptures(INCIDENT, { stdin: Readable.from([]), cwd: PROJECT_ROOT }))
      .flatMap((capture) => capture.connections)
      .filter((connection) => connection.remoteAddress === first.ip && connectionHasPeer(connection));
    expect(frame).toContain(`${expected.length} rows in all; the first 10 from ${expected[0]!.source.file}`);
    for (const connection of expected.slice(0, 10)) expect(frame).toContain(captureRowText(captureRowOf(connection), false));
    expect(frame).not.toContain(captureRowText(captureRowOf(expected[10]!), false));
  });

  it('says when rows cannot be read, and shows hostile names inert', () => {
    const row = { file: 'cap\u001b[2J.txt', line: 7, protocol: 'tcp', localAddress: '10.0.0.1', localPort: 80, remoteAddress: '203.0.113.7', remotePort: 5555, state: 'ESTABLISHED', recvQ: 0, sendQ: 12, pid: 42, program: 'evil\u0007\u202eprog' };
    const text = captureRowLines({ state: 'done', rows: { ip: '203.0.113.7', total: 30, rows: [row, { ...row, file: 'other.txt', line: 9 }], notes: ['x\u001b]0;title\u0007'] } }).map((line) => line.text).join('\n');
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f\u202e]/);
    expect(text).toContain('30 rows in all; the first 2');
    expect(text).toContain(':7  tcp  10.0.0.1:80  <-  203.0.113.7:5555  ESTABLISHED  0/12  42/evil');
    expect(captureRowLines({ state: 'failed', message: 'cap.txt: changed since it was read, its rows are not shown' }).map((line) => line.text)).toContain('  cannot read them back: cap.txt: changed since it was read, its rows are not shown');
    expect(captureRowLines({ state: 'unavailable' })).toEqual([]);
  });
});
