// What a command prints to a terminal or a log must never carry a byte the terminal
// acts on: an ESC in a capture line (`\e]0;PWNED\a\e[2J`) would retitle and clear it.
// Each such character is shown as a `\uXXXX` escape instead: visible evidence, and
// inside a JSON string the very escape JSON.stringify would have used, so JSON output
// keeps its meaning exactly.

// C0 controls other than \n and \t, DEL, C1 controls (U+009B is a one-character CSI,
// U+009D an OSC) and the bidi controls that reorder what a reader sees.
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const UNSAFE_OR_NEWLINE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const UNSAFE_TEST = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

function escapeChar(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** Text safe for a terminal: every control character shown as `\uXXXX`; \n and \t kept. */
export function escapeTerminalText(text: string): string {
  return UNSAFE_TEST.test(text) ? text.replace(UNSAFE, escapeChar) : text;
}

/** One line of terminal text: a newline inside attacker text cannot forge a line of its own. */
export function escapeTerminalLine(text: string): string {
  return text.replace(UNSAFE_OR_NEWLINE, escapeChar);
}

/** True when bytes (UTF-8) hold a character escapeTerminalText would change. */
export function bytesNeedEscaping(bytes: Uint8Array): boolean {
  for (let index = 0; index < bytes.length; index++) {
    const byte = bytes[index] as number;
    if (byte < 0x20) {
      if (byte !== 0x0a && byte !== 0x09) return true;
    } else if (byte === 0x7f) {
      return true;
    } else if (byte >= 0xc2 && byte <= 0xe2) {
      // C1 controls are C2 80..9F; U+061C is D8 9C; U+200E.. and U+202A.. start with E2 80, U+2066.. with E2 81.
      const next = bytes[index + 1] ?? 0;
      if (byte === 0xc2 && next >= 0x80 && next <= 0x9f) return true;
      if (byte === 0xd8 && next === 0x9c) return true;
      if (byte === 0xe2 && (next === 0x80 || next === 0x81)) return true;
    }
  }
  return false;
}
