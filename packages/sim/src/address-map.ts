/**
 * A map keyed by (host, port) as two nested maps, so the per-datagram NAT lookups build no `host:port` strings (a
 * concatenated key must be flattened and hashed anew on every packet; host strings hash once and numbers not at all).
 */
import type { Address } from '@dispersy/interfaces';

/**
 * A map from socket addresses to values, compared by content (`host`, `port`), not by object identity.
 *
 * @example
 * ```ts
 * const m = new AddressMap<number>();
 * m.set({ host: '20.0.0.1', port: 6421 }, 1);
 * m.get({ host: '20.0.0.1', port: 6421 }); // 1
 * ```
 */
export class AddressMap<V> {
  readonly #hosts = new Map<string, Map<number, V>>();
  #size = 0;

  /** Number of entries. */
  get size(): number {
    return this.#size;
  }

  /**
   * @param address a socket address
   * @returns its value, if any
   */
  get(address: Address): V | undefined {
    return this.#hosts.get(address.host)?.get(address.port);
  }

  /**
   * Sets the value of an address.
   * @param address a socket address
   * @param value the value
   */
  set(address: Address, value: V): void {
    let ports = this.#hosts.get(address.host);
    if (ports === undefined) {
      ports = new Map();
      this.#hosts.set(address.host, ports);
    }
    const before = ports.size;
    ports.set(address.port, value);
    this.#size += ports.size - before;
  }

  /**
   * Removes an address.
   * @param address a socket address
   * @returns whether it was present
   */
  delete(address: Address): boolean {
    const ports = this.#hosts.get(address.host);
    if (ports === undefined || !ports.delete(address.port)) return false;
    if (ports.size === 0) this.#hosts.delete(address.host);
    this.#size--;
    return true;
  }

  /**
   * Removes every entry whose value fails `keep` (deleting during this walk is safe: Map iteration tolerates it).
   * @param keep the predicate
   */
  retain(keep: (value: V) => boolean): void {
    for (const [host, ports] of this.#hosts) {
      for (const [port, value] of ports) {
        if (!keep(value)) {
          ports.delete(port);
          this.#size--;
        }
      }
      if (ports.size === 0) this.#hosts.delete(host);
    }
  }

  /** @returns the values, hosts in insertion order, ports in insertion order within a host */
  *values(): IterableIterator<V> {
    for (const ports of this.#hosts.values()) yield* ports.values();
  }
}
