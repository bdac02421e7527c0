// Every test that does not name a DNS server gets its project's loopback one (global-setup.ts).
import { inject } from 'vitest';
import { DNS_SERVER_ENV } from '../src/enrich/rdns/server-address.js';

process.env[DNS_SERVER_ENV] = inject('defaultDnsServer');
