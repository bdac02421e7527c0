// Every notification channel, in one array; sendNotifications reports failures without throwing.
import { commandChannel } from './command.js';
import type { ChannelDefinition, Notification, NotifyContext } from './notification.js';
import { sendmailChannel } from './sendmail.js';
import { smtpChannel } from './smtp.js';
import { webhookChannel } from './webhook.js';

export const CHANNELS: readonly ChannelDefinition<unknown>[] = [sendmailChannel, smtpChannel, webhookChannel, commandChannel];

export function findChannel(type: string): ChannelDefinition<unknown> | undefined {
  return CHANNELS.find((channel) => channel.type === type);
}

export interface ConfiguredChannel {
  definition: ChannelDefinition<unknown>;
  spec: unknown;
}

/** Send on every channel; returns one redacted error line per channel that failed. */
export async function sendNotifications(channels: readonly ConfiguredChannel[], notification: Notification, context: NotifyContext): Promise<string[]> {
  const failures = await Promise.all(channels.map(async ({ definition, spec }) => {
    try {
      await definition.send(spec, notification, context);
      return null;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return context.secrets.redact(`notify: ${definition.describe(spec)} failed: ${message}`);
    }
  }));
  return failures.filter((failure): failure is string => failure !== null);
}
