/** Characters a terminal acts on: C0 other than \n and \t, DEL, C1 (ESC starts CSI/OSC). */
export function terminalControls(text: string): string[] {
  return [...text.matchAll(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g)].map((match) => match[0]);
}
