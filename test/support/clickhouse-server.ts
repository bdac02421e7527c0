// Debian's clickhouse-server started by a test: free loopback ports, config, data and logs in
// the test's temporary directory. Skipped visibly when the package is not installed.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const CLICKHOUSE_BINARY = '/usr/sbin/clickhouse-server';

export function clickhouseInstalled(): boolean {
  return existsSync(CLICKHOUSE_BINARY) && existsSync('/etc/clickhouse-server/users.xml');
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface ClickHouseServer {
  httpPort: number;
  /** clickhouse://127.0.0.1:PORT/DATABASE */
  url(database: string): string;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export async function startClickHouse(dir: string): Promise<ClickHouseServer> {
  const httpPort = await freePort();
  const tcpPort = await freePort();
  const interserverPort = await freePort();
  for (const sub of ['data', 'tmp', 'log', 'user_files', 'format_schemas']) mkdirSync(join(dir, sub), { recursive: true });
  const config = join(dir, 'config.xml');
  writeFileSync(
    config,
    `<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>${dir}/log/server.log</log><errorlog>${dir}/log/error.log</errorlog><size>10M</size><count>1</count></logger>
  <http_port>${httpPort}</http_port>
  <tcp_port>${tcpPort}</tcp_port>
  <interserver_http_port>${interserverPort}</interserver_http_port>
  <listen_host>127.0.0.1</listen_host>
  <path>${dir}/data/</path>
  <tmp_path>${dir}/tmp/</tmp_path>
  <user_files_path>${dir}/user_files/</user_files_path>
  <format_schema_path>${dir}/format_schemas/</format_schema_path>
  <users_config>/etc/clickhouse-server/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <mark_cache_size>5368709</mark_cache_size>
  <max_concurrent_queries>50</max_concurrent_queries>
</yandex>
`,
  );
  let child: ChildProcess | null = null;
  const server: ClickHouseServer = {
    httpPort,
    url: (database) => `clickhouse://127.0.0.1:${httpPort}/${database}`,
    async start() {
      child = spawn(CLICKHOUSE_BINARY, [`--config-file=${config}`], { cwd: dir, stdio: 'ignore' });
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline) {
        if (child.exitCode !== null) throw new Error(`clickhouse-server exited with ${child.exitCode}; see ${dir}/log/error.log`);
        try {
          const response = await fetch(`http://127.0.0.1:${httpPort}/ping`);
          if ((await response.text()).startsWith('Ok.')) return;
        } catch {
          // not listening yet
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      throw new Error('clickhouse-server did not answer /ping within 60 s');
    },
    async stop() {
      const running = child;
      child = null;
      if (!running || running.exitCode !== null) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGTERM');
      const timer = setTimeout(() => running.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
  await server.start();
  return server;
}
