/**
 * The UDP endpoint (spec §11.4) on node:dgram: IPv4, the `FF FF FF FF` tunnel prefix, the 65,476-byte datagram
 * limit, configurable socket buffers, byte and packet counters, clean close. It implements the {@link Endpoint}
 * contract of `@dispersy/interfaces`, so the node runs unchanged on it, on the in-memory network and in the simulator.
 */
import { createSocket, type Socket } from 'node:dgram';
import { isIPv4 } from 'node:net';
import {
  DispersyError,
  type Address,
  type Endpoint,
  type EndpointCounters,
  type PacketHandler,
} from '@dispersy/interfaces';
import { detectLanAddress, type NetworkInterfaceLister } from './lan-address.ts';

/** The largest datagram the original accepts: 2^16 − 60 bytes (spec §2.1). */
export const MAX_DATAGRAM_BYTES = 65_476;
/** The tunnel prefix (spec §2.1). */
const TUNNEL = Buffer.from([0xff, 0xff, 0xff, 0xff]);
/** The original's receive buffer (SO_RCVBUF). */
export const DEFAULT_RECEIVE_BUFFER = 870_400;

/** Options of {@link openUdpEndpoint}. */
export interface UdpEndpointInit {
  /** Address to bind; `0.0.0.0` binds every interface. @default '0.0.0.0' */
  readonly host?: string;
  /** Port to bind; 0 picks a free one. @default 0 */
  readonly port?: number;
  /** SO_RCVBUF in bytes. @default 870400 */
  readonly receiveBufferSize?: number;
  /** SO_SNDBUF in bytes (left to the OS when undefined). */
  readonly sendBufferSize?: number;
  /** Lists network interfaces for LAN detection (tests inject one). @default os.networkInterfaces */
  readonly listInterfaces?: NetworkInterfaceLister;
}

/** Failure to open the endpoint. */
export class EndpointError extends DispersyError {}

interface MutableCounters {
  packetsSent: number;
  bytesSent: number;
  packetsReceived: number;
  bytesReceived: number;
  packetsDropped: number;
}

class UdpEndpoint implements Endpoint {
  readonly address: Address;
  readonly #socket: Socket;
  readonly #counters: MutableCounters = { packetsSent: 0, bytesSent: 0, packetsReceived: 0, bytesReceived: 0, packetsDropped: 0 };
  #handler: PacketHandler | undefined;
  #closed = false;
  #closing: Promise<void> | undefined;

  constructor(socket: Socket, address: Address) {
    this.#socket = socket;
    this.address = address;
    socket.on('message', (msg, rinfo) => this.#receive(msg, rinfo.address, rinfo.port));
    // A socket error after bind (e.g. ICMP port unreachable reported on some platforms) must not crash the node.
    socket.on('error', () => void this.#counters.packetsDropped++);
  }

  get counters(): EndpointCounters {
    return { ...this.#counters };
  }

  onPacket(handler: PacketHandler): void {
    this.#handler = handler;
  }

  send(to: Address, packet: Uint8Array, tunnel = false): void {
    const size = packet.length + (tunnel ? 4 : 0);
    if (this.#closed || size > MAX_DATAGRAM_BYTES || !isIPv4(to.host) || !(to.port > 0 && to.port < 65536)) {
      this.#counters.packetsDropped++;
      return;
    }
    const data = tunnel ? [TUNNEL, packet] : packet;
    this.#counters.packetsSent++;
    this.#counters.bytesSent += size;
    this.#socket.send(data, to.port, to.host, (err) => {
      if (err) this.#counters.packetsDropped++;
    });
  }

  #receive(msg: Buffer, host: string, port: number): void {
    if (this.#closed) return;
    this.#counters.packetsReceived++;
    this.#counters.bytesReceived += msg.length;
    const tunnel = msg.length >= 4 && msg[0] === 0xff && msg[1] === 0xff && msg[2] === 0xff && msg[3] === 0xff;
    const packet = tunnel ? msg.subarray(4) : msg;
    if (this.#handler === undefined || !isIPv4(host)) {
      this.#counters.packetsDropped++;
      return;
    }
    // The node never throws on network input; a throwing handler is a bug we must not let kill the socket loop.
    try {
      this.#handler(new Uint8Array(packet.buffer, packet.byteOffset, packet.byteLength), { address: { host, port }, tunnel });
    } catch {
      this.#counters.packetsDropped++;
    }
  }

  close(): Promise<void> {
    if (this.#closing) return this.#closing;
    this.#closed = true;
    this.#closing = new Promise<void>((resolve) => {
      try {
        this.#socket.close(() => resolve());
      } catch {
        resolve();
      }
    });
    return this.#closing;
  }
}

/**
 * Opens a UDP endpoint. Bound to a specific address (127.0.0.1 included), that address is the LAN address; bound
 * to the wildcard, the LAN address is detected from the interfaces (spec §7.9 rules).
 *
 * @param init host, port, buffer sizes
 * @returns the bound endpoint; `address` is its LAN address and bound port
 * @throws EndpointError BIND_FAILED when the address is in use or invalid; TypeError for a non-IPv4 host
 * @example
 * ```ts
 * const endpoint = await openUdpEndpoint({ host: '127.0.0.1', port: 0 });
 * endpoint.onPacket((packet, source) => console.log(packet.length, source.address));
 * await endpoint.close();
 * ```
 */
export async function openUdpEndpoint(init: UdpEndpointInit = {}): Promise<Endpoint> {
  const host = init.host ?? '0.0.0.0';
  if (!isIPv4(host)) throw new TypeError(`host must be an IPv4 address, got ${String(host)}`);
  const port = init.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`port must be 0..65535, got ${String(port)}`);
  const socket = createSocket({ type: 'udp4', reuseAddr: false });
  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void => reject(new EndpointError('BIND_FAILED', `cannot bind UDP ${host}:${port}: ${err.message}`, { cause: err }));
    socket.once('error', onError);
    socket.bind({ address: host, port, exclusive: true }, () => {
      socket.off('error', onError);
      resolve();
    });
  });
  try {
    socket.setRecvBufferSize(init.receiveBufferSize ?? DEFAULT_RECEIVE_BUFFER);
    if (init.sendBufferSize !== undefined) socket.setSendBufferSize(init.sendBufferSize);
  } catch {
    // The OS may cap buffer sizes (net.core.rmem_max); the endpoint works with what it gets.
  }
  const bound = socket.address();
  const lanHost = host === '0.0.0.0' ? detectLanAddress(init.listInterfaces) : host;
  return new UdpEndpoint(socket, { host: lanHost, port: bound.port });
}
