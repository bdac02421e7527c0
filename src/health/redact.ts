// Secrets (passwords, tokens, webhook URLs, values pulled from ${ENV:NAME}) never reach output:
// every line netsleuth prints or writes from the health path goes through redact().
export const REDACTED = '[redacted]';

export class SecretSet {
  private readonly values = new Set<string>();

  add(value: string): void {
    // Very short values would redact ordinary words; they are not plausible secrets.
    if (value.length >= 4) this.values.add(value);
  }

  get size(): number {
    return this.values.size;
  }

  redact(text: string): string {
    let result = text;
    // Longest first, so a secret that contains another is removed whole.
    for (const secret of [...this.values].sort((a, b) => b.length - a.length || (a < b ? -1 : 1))) {
      result = result.split(secret).join(REDACTED);
      const encoded = encodeURIComponent(secret);
      if (encoded !== secret) result = result.split(encoded).join(REDACTED);
    }
    return result;
  }
}
