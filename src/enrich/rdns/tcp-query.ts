// DNS over TCP (RFC 1035 4.2.2, RFC 7766): each message is prefixed with its
// 2-byte length. Used when a UDP answer comes back with the TC bit set.
import { connect } from 'node:net';
import type { DnsServer } from './server-address.js';

/** Resolves with the first complete message, rejects on timeout, close or socket error. */
export function queryOverTcp(server: DnsServer, query: Buffer, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: server.host, port: server.port, family: server.family });
    let received = Buffer.alloc(0);
    let settled = false;
    const finish = (error: Error | null, message?: Buffer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(message as Buffer);
    };
    const timer = setTimeout(() => finish(new Error(`TCP timeout after ${timeoutMs} ms`)), timeoutMs);
    socket.on('connect', () => {
      const length = Buffer.alloc(2);
      length.writeUInt16BE(query.length);
      socket.write(Buffer.concat([length, query]));
    });
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 2) return;
      const messageLength = received.readUInt16BE(0);
      if (received.length >= 2 + messageLength) finish(null, received.subarray(2, 2 + messageLength));
    });
    socket.on('error', (error) => finish(new Error(`TCP ${error.message}`)));
    socket.on('close', () => finish(new Error('TCP connection closed before a full answer')));
  });
}
