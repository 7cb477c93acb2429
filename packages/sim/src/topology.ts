/**
 * The topology (internal to the package; {@link SimNetwork} is its public face): hosts, NATs and their LANs, the
 * address plan of ipv4.ts, and each host's access link (given as fields, or drawn from a profile with the seeded
 * profile stream). It registers what it creates with the {@link Router}, which routes by these addresses.
 */
import type { Random } from '@dispersy/interfaces';
import { SimError } from './errors.ts';
import { AddressPool, assertIPv4, assertLanPrefix, isPrivateIPv4 } from './ipv4.ts';
import { DEFAULT_LINK, resolveLink, type AccessLink } from './link.ts';
import { SimNat, type NatOptions } from './nat.ts';
import { NatSite, SimNode } from './node.ts';
import { sampleLink, type LinkProfile, type LinkProfileName } from './profiles.ts';
import type { Router } from './router.ts';

/** A link given as fields (completed from the default link), a profile, or a profile's name. */
export type LinkSpec = Partial<AccessLink> | LinkProfile | LinkProfileName;

/** Options of `SimNetwork.createNat`. */
export interface CreateNatInit extends NatOptions {
  /** Public address of the router. @default the next free `20.x.y.z` */
  readonly host?: string;
  /** LAN prefix (one to three octets, RFC 1918); may repeat another NAT's. @default the next free `10.a.b` */
  readonly lanPrefix?: string;
}

/** Options of `SimNetwork.createNode`. */
export interface CreateNodeInit {
  /** The NAT in front of the node; omitted: a public host. */
  readonly nat?: SimNat;
  /** The node's address (public, or within the NAT's LAN prefix). @default the next free one */
  readonly host?: string;
  /** A label for traces. @default `node<id>` */
  readonly name?: string;
  /** Its access link. @default the network's default link */
  readonly link?: LinkSpec;
}

/** What the topology needs. */
export interface TopologyInit {
  readonly router: Router;
  /** Port allocation of the NATs. */
  readonly natRandom: Random;
  /** Draws of link profiles. */
  readonly profileRandom: Random;
  /** Link of nodes created without one. */
  readonly defaultLink: LinkSpec;
}

const isProfile = (spec: LinkSpec): spec is LinkProfile | LinkProfileName => typeof spec === 'string' || 'name' in spec;

/** Hosts and NATs of one network (internal). */
export class Topology {
  readonly nodes: SimNode[] = [];
  readonly nats: SimNat[] = [];
  readonly #router: Router;
  readonly #natRandom: Random;
  readonly #profileRandom: Random;
  readonly #defaultLink: LinkSpec;
  readonly #linkBase: AccessLink;
  readonly #publicPool = new AddressPool('20', 1);
  readonly #lanPrefixes = new Set<string>();
  #nextLan = 1;

  /**
   * @param init router, random streams, default link
   * @throws RangeError for an invalid default link
   */
  constructor(init: TopologyInit) {
    this.#router = init.router;
    this.#natRandom = init.natRandom;
    this.#profileRandom = init.profileRandom;
    this.#defaultLink = init.defaultLink;
    this.#linkBase = isProfile(init.defaultLink) ? DEFAULT_LINK : resolveLink(init.defaultLink);
  }

  /** See `SimNetwork.createNat`. */
  createNat(init: CreateNatInit): SimNat {
    const host = this.#publicHost(init.host);
    let lanPrefix = init.lanPrefix;
    if (lanPrefix === undefined) {
      do {
        if (this.#nextLan > 0xffff) throw new SimError('POOL_EXHAUSTED', 'no automatic LAN prefix is left (10.0.1 … 10.255.255)');
        lanPrefix = `10.${this.#nextLan >> 8}.${this.#nextLan & 255}`;
        this.#nextLan++;
      } while (this.#lanPrefixes.has(lanPrefix));
    } else {
      assertLanPrefix(lanPrefix);
    }
    const nat = new SimNat({ ...init, host, lanPrefix, random: this.#natRandom });
    this.#lanPrefixes.add(lanPrefix);
    this.#router.sites.set(host, new NatSite(nat, new AddressPool(lanPrefix, 2)));
    this.nats.push(nat);
    return nat;
  }

  /** See `SimNetwork.createNode`. */
  createNode(init: CreateNodeInit): SimNode {
    const id = this.nodes.length;
    if (id >= 0x100000) throw new SimError('POOL_EXHAUSTED', 'a network holds at most 1,048,576 nodes');
    const link = this.link(init.link ?? this.#defaultLink);
    let site: NatSite | undefined;
    let host: string;
    if (init.nat !== undefined) {
      site = this.#router.sites.get(init.nat.host);
      if (site === undefined || site.nat !== init.nat) throw new RangeError('nat must come from this network’s createNat()');
      const hosts = site.hosts;
      if (init.host === undefined) {
        const next = site.pool.next((h) => hosts.has(h));
        if (next === undefined) throw new SimError('POOL_EXHAUSTED', `no free address is left on the LAN ${site.nat.lanPrefix}.x`);
        host = next;
      } else {
        assertIPv4(init.host, 'host');
        if (!site.nat.inLan(init.host)) throw new RangeError(`host ${init.host} is not in the NAT's LAN prefix ${site.nat.lanPrefix}`);
        if (hosts.has(init.host)) throw new SimError('ADDRESS_IN_USE', `${init.host} is already used on that LAN`);
        host = init.host;
      }
    } else {
      host = this.#publicHost(init.host);
    }
    const node = new SimNode(this.#router, id, init.name ?? `node${id}`, host, site, link);
    if (site !== undefined) site.hosts.set(host, node);
    else this.#router.publicNodes.set(host, node);
    this.nodes.push(node);
    return node;
  }

  /**
   * Resolves a link spec: fields are completed from the default link; a profile is drawn from the profile stream.
   * @param spec fields, a profile or its name
   * @returns a validated access link
   * @throws RangeError for invalid fields or an unknown profile
   */
  link(spec: LinkSpec): AccessLink {
    return isProfile(spec) ? sampleLink(spec, this.#profileRandom) : resolveLink(spec, this.#linkBase);
  }

  #publicHost(requested: string | undefined): string {
    const router = this.#router;
    const taken = (h: string): boolean => router.publicNodes.has(h) || router.sites.has(h);
    if (requested === undefined) {
      const host = this.#publicPool.next(taken);
      if (host === undefined) throw new SimError('POOL_EXHAUSTED', 'the public pool 20.0.0.0/8 is exhausted');
      return host;
    }
    assertIPv4(requested, 'host');
    if (isPrivateIPv4(requested)) throw new RangeError(`a public host cannot have the private address ${requested}`);
    if (taken(requested)) throw new SimError('ADDRESS_IN_USE', `${requested} is already used`);
    return requested;
  }
}
