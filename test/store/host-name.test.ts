import { describe, expect, it } from 'vitest';
import { chooseHost, hostFromFileName } from '../../src/store/host-name.js';

describe('host of a capture', () => {
  it('takes the header first, then --host, then the file name', () => {
    expect(chooseHost('db1', 'flag', 'web1-1.txt')).toEqual({ host: 'db1', source: 'header' });
    expect(chooseHost(null, 'flag', 'web1-1.txt')).toEqual({ host: 'flag', source: 'flag' });
    expect(chooseHost(undefined, undefined, 'logs/web1-20261201.txt.gz')).toEqual({ host: 'web1', source: 'file-name' });
    expect(chooseHost(null, undefined, 'capture.txt')).toBeNull();
    expect(chooseHost(null, undefined, '-')).toBeNull();
  });

  it('never takes control characters or odd text as a host name', () => {
    expect(chooseHost('web\u001b[31m1', undefined, 'x.txt')).toEqual({ host: 'web1', source: 'header' });
    expect(chooseHost('two words', 'flag', 'x.txt')).toEqual({ host: 'flag', source: 'flag' });
    expect(hostFromFileName("a'b-1.txt")).toBeNull();
    expect(hostFromFileName('-1.txt')).toBeNull();
  });
});
