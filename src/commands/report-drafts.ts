// `report --abuse-drafts DIR` and `--send-drafts`: the abuse report drafts of a finished
// report, written as .eml files (whole, never replacing one) and, when asked, shown and then
// sent through a health config's notify channels.
import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { UserError } from '../errors.js';
import type { Report } from '../model/report.js';
import { sanitizeText } from '../net/sanitize.js';
import type { OptionTable } from '../option-table.js';
import { writeFileAtomic } from '../output/atomic-write.js';
import { note, warn } from '../output/safe-stream.js';
import { buildAbuseDrafts } from '../report/abuse-drafts.js';
import { collectEvidence } from '../report/draft-evidence.js';
import type { CommandIO } from './types.js';

export const DRAFT_HEADING = 'abuse reports (need --rdap or --rdap-cache-only):';

export const DRAFT_ARG_OPTIONS = {
  'abuse-drafts': { type: 'string', arg: 'DIR', help: `write one RFC 5322 message per abuse contact into DIR (CONTACT.eml):
what happened, our address, UTC time span, their addresses with counts
and states, capture-line excerpts with the captures' SHA-256, and an
X-ARF v0.2 report per address; never sent` },
  'abuse-from': { type: 'string', arg: 'ADDR', help: 'From: of the drafts (default $NETSLEUTH_ABUSE_FROM, else postmaster@HOST)' },
  'send-drafts': { type: 'boolean', help: 'show what would be sent through the notify channels of --config FILE' },
  'confirm-send': { type: 'boolean', help: 'with --send-drafts: really send them' },
  config: { type: 'string', short: 'c', arg: 'FILE', help: 'a health config whose notify channels --send-drafts uses' },
} as const satisfies OptionTable;

export interface DraftArgValues {
  'abuse-drafts'?: string | undefined;
  'abuse-from'?: string | undefined;
  'send-drafts'?: boolean | undefined;
  'confirm-send'?: boolean | undefined;
  config?: string | undefined;
  force?: boolean | undefined;
  offline?: boolean | undefined;
}

/** Checked before the investigation runs, so a long run does not end in a usage error. */
export function validateDraftArgs(values: DraftArgValues, rdapAsked: boolean): void {
  if ((values['send-drafts'] || values['confirm-send']) && !values['abuse-drafts']) throw new UserError('--send-drafts sends the drafts of --abuse-drafts DIR: give it too');
  if (values['confirm-send'] && !values['send-drafts']) throw new UserError('--confirm-send goes with --send-drafts');
  if (values['send-drafts'] && !values.config) throw new UserError('--send-drafts needs --config FILE (a health config with notify channels)');
  if (values['send-drafts'] && values['confirm-send'] && values.offline) throw new UserError('--confirm-send sends mail: it cannot run with --offline');
  if (values['abuse-drafts'] && !rdapAsked) throw new UserError('--abuse-drafts needs the abuse contacts: add --rdap (or --rdap-cache-only)');
  const from = values['abuse-from'];
  if (from !== undefined && !/^[^\s@<>]+@[^\s@<>]+$/.test(from)) throw new UserError(`--abuse-from '${sanitizeText(from, 100)}': expected an e-mail address`);
}

/** Writes (and maybe sends) the drafts; returns 1 when a send failed, else 0. */
export async function writeAbuseDrafts(report: Report, values: DraftArgValues, io: CommandIO): Promise<number> {
  const dirArg = values['abuse-drafts'];
  if (!dirArg) return 0;
  const from = values['abuse-from'] ?? io.env.NETSLEUTH_ABUSE_FROM ?? `postmaster@${hostname()}`;
  const addresses = (report.networks?.contacts ?? []).flatMap((contact) => contact.addresses);
  const { evidence, localAddresses } = collectEvidence(report, addresses, io.cwd);
  const drafts = buildAbuseDrafts(report, { from, evidence, localAddresses });
  const dir = resolve(io.cwd, dirArg);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new UserError(`${dirArg}: cannot create the drafts folder (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  for (const draft of drafts) {
    try {
      await writeFileAtomic(join(dir, draft.fileName), draft.message, { exclusive: !values.force, fsync: false });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new UserError(code === 'EEXIST' ? `${join(dirArg, draft.fileName)}: already exists; not overwriting it (use --force to replace it)` : `${join(dirArg, draft.fileName)}: cannot write (${code ?? 'error'})`);
    }
  }
  note(io, `wrote ${drafts.length} abuse report draft${drafts.length === 1 ? '' : 's'} to ${dirArg} (not sent)`);
  const withoutMail = (report.networks?.contacts ?? []).filter((contact) => contact.contact.emails.length === 0).length;
  if (withoutMail > 0) warn(io, `${withoutMail} contact${withoutMail === 1 ? ' has' : 's have'} no e-mail address: no draft for ${withoutMail === 1 ? 'it' : 'them'}`);
  if (!values['send-drafts'] || !values.config) return 0;

  const { loadHealthConfig } = await import('../health/config.js');
  const config = await loadHealthConfig(values.config, io.cwd, io.env, { requireChecks: false });
  if (config.notify.channels.length === 0) throw new UserError(`${values.config}: no notify channels to send the drafts through`);
  const { sendDrafts } = await import('../report/send-drafts.js');
  const confirm = values['confirm-send'] === true;
  const deliveries = await sendDrafts(drafts, config.notify.channels, { confirm, context: { timeoutMs: config.notify.timeoutMs, secrets: config.secrets }, host: hostname(), now: new Date() });
  for (const delivery of deliveries) {
    const verb = delivery.outcome === 'would-send' ? 'would send' : delivery.outcome;
    io.stdout.write(`${verb}: ${delivery.draft} to ${delivery.to.join(', ')} via ${config.secrets.redact(delivery.channel)}${delivery.error ? ` (${delivery.error})` : ''}\n`);
  }
  if (!confirm) note(io, 'dry run: nothing was sent; add --confirm-send to send these');
  return deliveries.some((delivery) => delivery.outcome === 'failed') ? 1 : 0;
}
