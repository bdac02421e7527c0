// netstat/ss print service names instead of numbers unless run with -n. This is the
// subset of /etc/services seen in real captures (../shared/fixtures) plus common servers.
// Unknown names (macOS cuts them: `sunpr`, `afpov`) keep the row with port null.
const SERVICE_PORTS: Record<string, number> = {
  ftp: 21, 'ftp-data': 20, ssh: 22, telnet: 23, smtp: 25, domain: 53, bootps: 67, bootpc: 68, tftp: 69,
  http: 80, www: 80, 'www-http': 80, kerberos: 88, pop3: 110, sunrpc: 111, auth: 113, ntp: 123,
  'netbios-ns': 137, 'netbios-dgm': 138, 'netbios-ssn': 139, imap: 143, imap2: 143, snmp: 161,
  'snmp-trap': 162, ldap: 389, https: 443, 'microsoft-ds': 445, isakmp: 500, syslog: 514, submission: 587,
  ipp: 631, ldaps: 636, dsf: 555, afpovertcp: 548, imaps: 993, pop3s: 995, socks: 1080, openvpn: 1194,
  'ms-sql-s': 1433, mysql: 3306, 'ms-wbt-server': 3389, postgresql: 5432, mdns: 5353, 'x11': 6000,
  'http-alt': 8080, webcache: 8080, ssdp: 1900, 'nfs': 2049, llmnr: 5355,
};

/** Port number for a service name, or null when the name is not in the table. */
export function servicePort(name: string): number | null {
  const port = SERVICE_PORTS[name.toLowerCase()];
  return port === undefined ? null : port;
}
