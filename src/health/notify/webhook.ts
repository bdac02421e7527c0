// A webhook: POST the notification as JSON. The URL often is the secret (Slack, Teams), so it
// is redacted and messages name only its origin.
import { defineChannel } from './notification.js';

interface WebhookSpec {
  url: URL;
  headers: Record<string, string>;
}

export const webhookChannel = defineChannel<WebhookSpec>({
  type: 'webhook',
  summary: 'POST JSON to url (headers for tokens)',
  fields: ['url', 'headers'],
  parse(config, secrets) {
    const text = config.requiredString('url');
    const url = URL.canParse(text) ? new URL(text) : null;
    if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:')) return config.fail('url', 'must be an http:// or https:// URL');
    secrets.add(text);
    // Slack/Teams-style hooks carry their token in the path; a short path is no token (and
    // redacting "hook" would mangle the word "webhook" in every message).
    const pathAndQuery = url.pathname.slice(1) + url.search;
    if (pathAndQuery.length >= 12) secrets.add(pathAndQuery);
    if (url.password) secrets.add(url.password);
    const headers = config.stringMap('headers') ?? {};
    for (const value of Object.values(headers)) secrets.add(value);
    return { url, headers };
  },
  describe(spec) {
    return `webhook ${spec.url.origin}`;
  },
  async send(spec, notification, context) {
    const response = await fetch(spec.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...spec.headers },
      body: JSON.stringify({
        status: notification.status,
        host: notification.host,
        time: notification.time,
        subject: notification.subject,
        text: notification.text,
        caseDir: notification.caseDir,
        checks: notification.results,
      }),
      signal: AbortSignal.timeout(context.timeoutMs),
    });
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`HTTP status ${response.status}`);
  },
});
