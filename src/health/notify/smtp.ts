// Mail over SMTP with nodemailer (for boxes without a local MTA).
import { createTransport } from 'nodemailer';
import { defineChannel } from './notification.js';

interface SmtpSpec {
  host: string;
  port: number;
  secure: boolean;
  startTls: boolean;
  user: string | null;
  password: string | null;
  insecure: boolean;
  to: string[];
  from: string;
}

export const smtpChannel = defineChannel<SmtpSpec>({
  type: 'smtp',
  summary: 'mail over SMTP (nodemailer); host, port, secure, startTls, user, password, insecure, to, from',
  fields: ['host', 'port', 'secure', 'startTls', 'user', 'password', 'insecure', 'to', 'from'],
  parse(config, secrets) {
    const to = config.stringList('to');
    if (!to || to.length === 0) return config.fail('to', 'is required (an address or a list)');
    const password = config.string('password') ?? null;
    if (password !== null) secrets.add(password);
    const secure = config.boolean('secure') ?? false;
    return {
      host: config.requiredString('host'),
      port: config.number('port', { min: 1, max: 65535, integer: true }) ?? (secure ? 465 : 25),
      secure,
      startTls: config.boolean('startTls') ?? true,
      user: config.string('user') ?? null,
      password,
      insecure: config.boolean('insecure') ?? false,
      to,
      from: config.string('from') ?? 'netsleuth@localhost',
    };
  },
  describe(spec) {
    return `smtp ${spec.host}:${spec.port} to ${spec.to.join(', ')}`;
  },
  async send(spec, notification, context) {
    const transport = createTransport({
      host: spec.host,
      port: spec.port,
      secure: spec.secure,
      ignoreTLS: !spec.secure && !spec.startTls,
      auth: spec.user !== null ? { user: spec.user, pass: spec.password ?? '' } : undefined,
      tls: { rejectUnauthorized: !spec.insecure },
      connectionTimeout: context.timeoutMs,
      greetingTimeout: context.timeoutMs,
      socketTimeout: context.timeoutMs,
    });
    try {
      await transport.sendMail({ from: spec.from, to: spec.to, subject: notification.subject, text: notification.text });
    } finally {
      transport.close();
    }
  },
});
