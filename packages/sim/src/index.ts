/**
 * A deterministic network simulator for Dispersy: virtual time, seeded randomness, NAT models (full cone,
 * address-restricted, port-restricted, symmetric), link models (latency, jitter, loss, bandwidth, MTU; `3G` and
 * `WiFi` profiles), partitions and churn. Its {@link SimEndpoint} implements the `Endpoint` contract of
 * `@dispersy/interfaces`, so unmodified nodes run in it; {@link createVerificationCache} lets 1,000 of them share one
 * signature check per message.
 *
 * @example
 * ```ts
 * import { SimNetwork } from '@dispersy/sim';
 *
 * // A (port-restricted NAT) -> INTRODUCER (public)
 * const network = new SimNetwork({ seed: 42 });
 * const introducer = network.createEndpoint();
 * const a = network.createEndpoint({ nat: network.createNat({ type: 'port-restricted' }), link: '3G' });
 * introducer.onPacket((packet, source) => console.log(source.address)); // A's NAT's public address
 * a.send(introducer.address, new Uint8Array(100));
 * network.deliverAll();
 * ```
 * @packageDocumentation
 */
export { AddressMap } from './address-map.ts';
export { Churn, exponential, type ChurnComponents, type ChurnOptions, type ChurnStats } from './churn.ts';
export { COPY_MODES, createCopier, type CopyMode } from './datagram-copy.ts';
export { SimError, type SimErrorCode } from './errors.ts';
export { EventQueue, type SimEvent } from './event-queue.ts';
export { AddressPool, formatIPv4, isPrivateIPv4, parseIPv4 } from './ipv4.ts';
export { DEFAULT_LINK, IP_UDP_HEADER_BYTES, LinkTable, checkOverride, resolveLink, type AccessLink, type PathOverride } from './link.ts';
export { NAT_TYPES, SimNat, type NatInit, type NatMapping, type NatOptions, type NatType, type PortAllocation } from './nat.ts';
export { SimNetwork, type DeliverAllOptions, type SeededRandom, type SimNetworkInit } from './network.ts';
export { DEFAULT_PORT, SimNode } from './node.ts';
export { PartitionTable, type Member } from './partition.ts';
export { LINK_PROFILES, PROFILE_3G, PROFILE_WIFI, sampleLink, type LinkProfile, type LinkProfileName, type Range } from './profiles.ts';
export type { TraceEntry } from './router.ts';
export { MAX_DATAGRAM_SIZE, SimEndpoint, TUNNEL_PREFIX_LENGTH, type EndpointTransport } from './sim-endpoint.ts';
export { DROP_REASONS, type DropReason, type NetworkStats, type NodeStats } from './stats.ts';
export type { CreateNatInit, CreateNodeInit, LinkSpec } from './topology.ts';
export { createVerificationCache, type VerificationCache, type VerificationCacheInit } from './verification-cache.ts';
export { VirtualClock, type RunLimits, type VirtualClockInit } from './virtual-clock.ts';
