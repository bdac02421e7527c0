#!/usr/bin/env node
// Serves the incident sample's synthetic registry answers on loopback, so that
// `report --rdap` can be tried without asking any real registry:
//   node samples/incident/registry/serve.mjs
//   npx netsleuth report samples/incident/incident-04.txt --no-dns --rdap \
//     --rdap-server http://127.0.0.1:8043/ --whois-server 127.0.0.1:8044 --abuse-drafts case/drafts
// RDAP answers any address inside one of the networks (404 otherwise); the whois
// server answers KISA-style text for the network that holds the queried address.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createTcpServer } from 'node:net';

const data = JSON.parse(readFileSync(new URL('./registry.json', import.meta.url), 'utf8'));
const rdapPort = Number(process.env.RDAP_PORT ?? 8043);
const whoisPort = Number(process.env.WHOIS_PORT ?? 8044);

const toInt = (ip) => ip.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);
const isIpv4 = (text) => /^\d{1,3}(\.\d{1,3}){3}$/.test(text);
const holder = (ip) => data.rdap.find((network) => isIpv4(ip) && toInt(network.startAddress) <= toInt(ip) && toInt(ip) <= toInt(network.endAddress));

createServer((request, response) => {
  const match = /^\/ip\/([^/?]+)/.exec(request.url ?? '');
  const network = match ? holder(decodeURIComponent(match[1])) : undefined;
  if (!network) return response.writeHead(404, { 'content-type': 'application/rdap+json' }).end('{"errorCode":404,"title":"Not Found"}');
  response.writeHead(200, { 'content-type': 'application/rdap+json' }).end(JSON.stringify(network));
}).listen(rdapPort, '127.0.0.1', () => console.log(`RDAP  http://127.0.0.1:${rdapPort}/`));

createTcpServer((socket) => {
  let buffered = '';
  socket.on('error', () => {});
  socket.on('data', (chunk) => {
    buffered += chunk.toString('utf8');
    if (!buffered.includes('\n')) return;
    const query = buffered.split(/\r?\n/)[0].trim();
    const network = holder(query);
    socket.end(network ? data.kisaWhois[network.handle].replace('{query}', query) : `query : ${query}\n\nNo match.\n`);
  });
}).listen(whoisPort, '127.0.0.1', () => console.log(`whois 127.0.0.1:${whoisPort}`));
