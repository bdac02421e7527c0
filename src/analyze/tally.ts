// Small counting helper with a deterministic "top N" (count desc, then key asc).
export class Tally<K extends string | number> {
  readonly counts = new Map<K, number>();

  add(key: K, amount: number): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + amount);
  }

  /**
   * The `limit` heaviest keys. Small limits (cluster summaries ask for 1 or 3 out of
   * thousands of AS names) keep a short sorted list instead of sorting every entry.
   */
  top(limit = Infinity): K[] {
    if (limit <= 8) {
      const keys: K[] = [];
      const values: number[] = [];
      for (const [key, value] of this.counts) {
        let at = keys.length;
        while (at > 0 && Tally.#before(key, value, keys[at - 1]!, values[at - 1]!)) at--;
        if (at >= limit) continue;
        keys.splice(at, 0, key);
        values.splice(at, 0, value);
        if (keys.length > limit) {
          keys.pop();
          values.pop();
        }
      }
      return keys;
    }
    return [...this.counts]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .slice(0, limit)
      .map(([key]) => key);
  }

  static #before<K extends string | number>(key: K, value: number, otherKey: K, otherValue: number): boolean {
    return value > otherValue || (value === otherValue && key < otherKey);
  }

  get size(): number {
    return this.counts.size;
  }
}
