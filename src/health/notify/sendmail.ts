// Mail through the system sendmail interface: `sendmail -t -oi`, message on stdin.
// Works with postfix, exim, msmtp and nullmailer, which all install /usr/sbin/sendmail.
import { defineChannel, formatMailMessage } from './notification.js';
import { runWithInput } from './child-process.js';

interface SendmailSpec {
  to: string[];
  from: string;
  command: string[];
}

export const DEFAULT_SENDMAIL = ['/usr/sbin/sendmail', '-t', '-oi'];

export const sendmailChannel = defineChannel<SendmailSpec>({
  type: 'sendmail',
  summary: 'mail via the system sendmail (-t); to, from, command (argument list)',
  fields: ['to', 'from', 'command'],
  parse(config) {
    const to = config.stringList('to');
    if (!to || to.length === 0) return config.fail('to', 'is required (an address or a list)');
    return { to, from: config.string('from') ?? 'netsleuth', command: config.stringList('command') ?? DEFAULT_SENDMAIL };
  },
  describe(spec) {
    return `sendmail to ${spec.to.join(', ')}`;
  },
  async send(spec, notification, context) {
    const message = formatMailMessage({ from: spec.from, to: spec.to, subject: notification.subject }, notification.text);
    const { code, stderr } = await runWithInput(spec.command, message, process.env, context.timeoutMs);
    if (code !== 0) throw new Error(`${spec.command[0]} exited with ${code ?? 'a signal'}${stderr ? ': ' + stderr : ''}`);
  },
});
