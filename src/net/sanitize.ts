// Attacker-controlled text (PTR names, program names, AS names, hop names)
// is cleaned once where it enters the model. Renderers escape again for their format.

// C0 controls, DEL, C1 controls; ANSI CSI/OSC sequences are removed whole first.
const ANSI_SEQUENCE = /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[@-Z\\-_])/g;
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/g;
// Bidi overrides and zero-width joiners that can disguise text in a terminal.
const INVISIBLE_FORMATTING = /[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

export const MAX_UNTRUSTED_LENGTH = 255;

/** Strip control characters, ANSI escapes and bidi overrides; cap the length. */
export function sanitizeText(value: string, maxLength = MAX_UNTRUSTED_LENGTH): string {
  let cleaned = value.replace(ANSI_SEQUENCE, '').replace(CONTROL_CHARS, '').replace(INVISIBLE_FORMATTING, '');
  if (cleaned.length > maxLength) cleaned = cleaned.slice(0, maxLength - 1) + '…';
  return cleaned;
}
