// Mail through the system sendmail interface: `sendmail -t -oi`, message on stdin.
// Works with postfix, exim, msmtp and nullmailer, which all install /usr/sbin/sendmail.
// nodemailer composes the message (RFC 2047 encoded headers, so a Korean host name in the
// subject arrives intact; a MIME body in any script). Its stream transport hands the message
// to our runner rather than its sendmail transport spawning the program: that one appends the
// recipients to the arguments (with `-t` exim then drops them) and has no timeout to kill a
// sendmail that hangs.
import { createTransport } from 'nodemailer';
import { defineChannel } from './notification.js';
import { runWithInput } from './child-process.js';

interface SendmailSpec {
  to: string[];
  from: string;
  command: string[];
}

export const DEFAULT_SENDMAIL = ['/usr/sbin/sendmail', '-t', '-oi'];

/** The RFC 5322 message sendmail -t reads: headers encoded as RFC 2047 needs, LF line ends. */
export async function composeMailMessage(headers: { from: string; to: string[]; subject: string }, body: string): Promise<Buffer> {
  const composer = createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  const info = await composer.sendMail({ from: headers.from, to: headers.to, subject: headers.subject, text: body, disableUrlAccess: true, disableFileAccess: true });
  return info.message as Buffer;
}

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
    const message = await composeMailMessage({ from: spec.from, to: spec.to, subject: notification.subject }, notification.text);
    const { code, stderr } = await runWithInput(spec.command, message, process.env, context.timeoutMs);
    if (code !== 0) throw new Error(`${spec.command[0]} exited with ${code ?? 'a signal'}${stderr ? ': ' + stderr : ''}`);
  },
});
