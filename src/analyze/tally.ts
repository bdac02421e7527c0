// Small counting helper with a deterministic "top N" (count desc, then key asc).
export class Tally<K extends string | number> {
  readonly counts = new Map<K, number>();

  add(key: K, amount: number): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + amount);
  }

  top(limit = Infinity): K[] {
    return [...this.counts]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .slice(0, limit)
      .map(([key]) => key);
  }

  get size(): number {
    return this.counts.size;
  }
}
