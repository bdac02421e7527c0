// Per-remote local-port counter for the hot loop. Almost every remote touches one to
// five ports, where a linear scan over two small arrays beats a Map per remote by a wide
// margin; a scanner touching hundreds of ports switches to a Map index.
const INDEX_AFTER = 16;

export class PortTally {
  #index: Map<number, number> | null = null;

  /** Distinct ports with their counts and inbound flags (aggregate.ts hands them over exactly sized). */
  constructor(
    readonly ports: number[] = [],
    readonly counts: number[] = [],
    /** 1 when the port was reached inbound at least once (see aggregate.ts isServicePort). */
    readonly service: number[] = [],
  ) {}

  add(port: number, inbound: boolean): void {
    this.addCount(port, 1, inbound);
  }

  addCount(port: number, count: number, inbound: boolean): void {
    const i = this.#index ? (this.#index.get(port) ?? -1) : this.ports.indexOf(port);
    if (i >= 0) {
      this.counts[i]! += count;
      if (inbound) this.service[i] = 1;
      return;
    }
    this.ports.push(port);
    this.counts.push(count);
    this.service.push(inbound ? 1 : 0);
    if (this.#index) this.#index.set(port, this.ports.length - 1);
    else if (this.ports.length > INDEX_AFTER) this.#index = new Map(this.ports.map((p, index) => [p, index]));
  }

  count(port: number): number {
    const i = this.#index ? (this.#index.get(port) ?? -1) : this.ports.indexOf(port);
    return i >= 0 ? (this.counts[i] ?? 0) : 0;
  }

  /** Calls back for each port reached inbound, with its count (no allocation: runs per remote). */
  forEachInbound(callback: (port: number, count: number) => void): void {
    for (let i = 0; i < this.ports.length; i++) if (this.service[i] === 1) callback(this.ports[i]!, this.counts[i] ?? 0);
  }

  /** Distinct ports reached inbound. */
  serviceCount(): number {
    let count = 0;
    for (const flag of this.service) count += flag;
    return count;
  }

  servicePorts(): number[] {
    return this.ports.filter((_, i) => this.service[i] === 1).sort((a, b) => a - b);
  }

  entries(): [number, number][] {
    return this.ports.map((port, i) => [port, this.counts[i] ?? 0]);
  }
}
