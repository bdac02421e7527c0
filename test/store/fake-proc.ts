// A /proc look-alike for live captures: `count` connections from 147.46.10.x to port 80.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const TCP_HEADER = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';

export async function writeFakeProc(root: string, count: number): Promise<void> {
  await rm(root, { recursive: true, force: true });
  await mkdir(join(root, 'net'), { recursive: true });
  const rows = Array.from({ length: count }, (_, index) => {
    const remote = [147, 46, 10, (index % 250) + 1].reverse().map((byte) => byte.toString(16).padStart(2, '0')).join('').toUpperCase();
    const port = (40000 + index).toString(16).toUpperCase().padStart(4, '0');
    return `   ${index}: 0100000A:0050 ${remote}:${port} 01 00000000:00000000 00:00000000 00000000    33        0 ${1000 + index} 1 0000000000000000 20 4 1 10 -1`;
  });
  await writeFile(join(root, 'net', 'tcp'), TCP_HEADER + rows.join('\n') + (rows.length ? '\n' : ''));
  await writeFile(join(root, 'meminfo'), 'MemTotal: 8000000 kB\nMemAvailable: 4000000 kB\nSwapTotal: 0 kB\nSwapFree: 0 kB\n');
  await writeFile(join(root, 'loadavg'), '0.10 0.20 0.30 1/100 999\n');
  await mkdir(join(root, '1'));
  await writeFile(join(root, '1', 'comm'), 'init\n');
}
