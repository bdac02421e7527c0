// --send-drafts: the abuse drafts through the notify channels of a health config.
// Mail channels (sendmail, smtp) address each draft to its abuse contact; webhook and
// command channels receive the draft as their notification text. Nothing is sent
// unless the caller confirmed: the default is to show what would be sent.
import type { ConfiguredChannel } from '../health/notify/index.js';
import type { Notification, NotifyContext } from '../health/notify/notification.js';
import type { AbuseDraft } from './abuse-drafts.js';

const MAIL_CHANNELS = new Set(['sendmail', 'smtp']);

export interface DraftDelivery {
  draft: string;
  channel: string;
  to: string[];
  outcome: 'would-send' | 'sent' | 'failed';
  error?: string;
}

/** The channel spec with this draft's recipients (mail) or as configured (others). */
function specFor(channel: ConfiguredChannel, draft: AbuseDraft): unknown {
  if (!MAIL_CHANNELS.has(channel.definition.type)) return channel.spec;
  return { ...(channel.spec as Record<string, unknown>), to: [...draft.to] };
}

function recipients(channel: ConfiguredChannel, draft: AbuseDraft): string[] {
  if (MAIL_CHANNELS.has(channel.definition.type)) return [...draft.to];
  return [channel.definition.describe(channel.spec)];
}

export async function sendDrafts(drafts: readonly AbuseDraft[], channels: readonly ConfiguredChannel[], options: { confirm: boolean; context: NotifyContext; host: string; now: Date }): Promise<DraftDelivery[]> {
  const deliveries: DraftDelivery[] = [];
  for (const draft of drafts) {
    for (const channel of channels) {
      const spec = specFor(channel, draft);
      const delivery: DraftDelivery = { draft: draft.fileName, channel: channel.definition.describe(spec), to: recipients(channel, draft), outcome: 'would-send' };
      if (options.confirm) {
        const notification: Notification = { status: 'warning', host: options.host, time: options.now.toISOString(), subject: draft.subject, text: draft.text, results: [], caseDir: null };
        try {
          await channel.definition.send(spec, notification, options.context);
          delivery.outcome = 'sent';
        } catch (error) {
          delivery.outcome = 'failed';
          delivery.error = options.context.secrets.redact(error instanceof Error ? error.message : String(error));
        }
      }
      deliveries.push(delivery);
    }
  }
  return deliveries;
}
