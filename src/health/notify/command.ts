// A command: an argument list (never a shell string); details in NETSLEUTH_* environment
// variables and the text on stdin.
import { defineChannel } from './notification.js';
import { runWithInput } from './child-process.js';

interface CommandSpec {
  argv: string[];
  env: Record<string, string>;
}

export const commandChannel = defineChannel<CommandSpec>({
  type: 'command',
  summary: 'run argv (a list, no shell); NETSLEUTH_STATUS/SUBJECT/HOST/TIME/CASE_DIR in env, text on stdin',
  fields: ['argv', 'env'],
  parse(config, secrets) {
    const raw = config.value.argv;
    if (typeof raw === 'string') return config.fail('argv', 'must be a list of arguments, not a shell string (e.g. ["/usr/local/bin/page", "--urgent"])');
    const argv = config.stringList('argv');
    if (!argv || argv.length === 0) return config.fail('argv', 'is required (a list of arguments)');
    const env = config.stringMap('env') ?? {};
    for (const value of Object.values(env)) secrets.add(value);
    return { argv, env };
  },
  describe(spec) {
    return `command ${spec.argv[0] ?? ''}`;
  },
  async send(spec, notification, context) {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...spec.env,
      NETSLEUTH_STATUS: notification.status,
      NETSLEUTH_SUBJECT: notification.subject,
      NETSLEUTH_HOST: notification.host,
      NETSLEUTH_TIME: notification.time,
      NETSLEUTH_CASE_DIR: notification.caseDir ?? '',
      NETSLEUTH_TEXT: notification.text,
    };
    const { code, stderr } = await runWithInput(spec.argv, notification.text, env, context.timeoutMs);
    if (code !== 0) throw new Error(`exited with ${code ?? 'a signal'}${stderr ? ': ' + stderr : ''}`);
  },
});
