import { NO_ADDRESS } from '@dispersy/interfaces';
import { describe, expect, it } from 'vitest';
import {
  buildIntroductionRequest,
  buildIntroductionResponse,
  checkIntroductionResponse,
  checkPunctureRequest,
  reachableAddress,
  WalkCandidate,
} from '../src/index.ts';
import { addr } from './helpers.ts';

const me = { lan: addr('192.168.1.2', 6421), wan: addr('5.5.5.5', 6421), connectionType: 'unknown' as const };
const intro = (lan: ReturnType<typeof addr>, wan: ReturnType<typeof addr>) => ({ lanIntroductionAddress: lan, wanIntroductionAddress: wan });

describe('checkIntroductionResponse (spec §7.8 A)', () => {
  it('accepts no introduction, a normal introduction, and one behind my NAT with another LAN', () => {
    expect(checkIntroductionResponse(intro(NO_ADDRESS, NO_ADDRESS), me)).toBeUndefined();
    expect(checkIntroductionResponse(intro(addr('10.0.0.9', 1), addr('7.7.7.7', 1)), me)).toBeUndefined();
    expect(checkIntroductionResponse(intro(addr('192.168.1.3', 6421), addr('5.5.5.5', 7000)), me)).toBeUndefined();
    expect(checkIntroductionResponse(intro(addr('10.0.0.9', 1), NO_ADDRESS), me)).toBeUndefined();
  });
  it('rejects an invalid non-zero introduced LAN address', () => {
    expect(checkIntroductionResponse(intro(addr('10.0.0.9', 0), addr('7.7.7.7', 1)), me)).toBe('INVALID_LAN_INTRODUCTION');
    expect(checkIntroductionResponse(intro(addr('0.0.0.0', 5), NO_ADDRESS), me)).toBe('INVALID_LAN_INTRODUCTION');
  });
  it('rejects an invalid non-zero introduced WAN address', () => {
    expect(checkIntroductionResponse(intro(addr('10.0.0.9', 1), addr('7.7.7.7', 0)), me)).toBe('INVALID_WAN_INTRODUCTION');
  });
  it('rejects being introduced to my own WAN address', () => {
    expect(checkIntroductionResponse(intro(addr('10.0.0.9', 1), me.wan), me)).toBe('INTRODUCED_MY_WAN');
  });
  it('rejects my LAN address behind my WAN IP', () => {
    expect(checkIntroductionResponse(intro(me.lan, addr('5.5.5.5', 7000)), me)).toBe('INTRODUCED_MY_LAN');
  });
  it('accepts my LAN address behind ANOTHER WAN IP (another NAT may use the same private address)', () => {
    expect(checkIntroductionResponse(intro(me.lan, addr('7.7.7.7', 1)), me)).toBeUndefined();
  });
  it('rejects my LAN address when the introduced WAN is unknown', () => {
    expect(checkIntroductionResponse(intro(me.lan, NO_ADDRESS), me)).toBe('INTRODUCED_MY_LAN');
  });
});

describe('checkPunctureRequest (spec §7.8 C)', () => {
  const b = addr('8.8.8.8', 6421);
  const ok = { lanWalkerAddress: addr('10.0.0.1', 1), wanWalkerAddress: addr('9.9.9.9', 1), identifier: 1 };
  it('accepts a normal request', () => expect(checkPunctureRequest(b, ok, me)).toBeUndefined());
  it('rejects B asking to puncture itself (LAN or WAN walker = sender)', () => {
    expect(checkPunctureRequest(b, { ...ok, lanWalkerAddress: b }, me)).toBe('PUNCTURE_HERSELF_LAN');
    expect(checkPunctureRequest(b, { ...ok, wanWalkerAddress: b }, me)).toBe('PUNCTURE_HERSELF_WAN');
  });
  it('rejects invalid walker addresses', () => {
    expect(checkPunctureRequest(b, { ...ok, lanWalkerAddress: NO_ADDRESS }, me)).toBe('INVALID_LAN_WALKER');
    expect(checkPunctureRequest(b, { ...ok, wanWalkerAddress: addr('9.9.9.9', 0) }, me)).toBe('INVALID_WAN_WALKER');
  });
  it('rejects puncturing myself', () => {
    expect(checkPunctureRequest(b, { ...ok, wanWalkerAddress: me.wan }, me)).toBe('PUNCTURE_MYSELF_WAN');
    expect(checkPunctureRequest(b, { ...ok, lanWalkerAddress: me.lan, wanWalkerAddress: addr('5.5.5.5', 9) }, me)).toBe('PUNCTURE_MYSELF_LAN');
    expect(checkPunctureRequest(b, { ...ok, lanWalkerAddress: me.lan, wanWalkerAddress: addr('6.6.6.6', 9) }, me)).toBeUndefined();
  });
});

describe('builders', () => {
  it('reachableAddress: LAN behind my WAN IP, else WAN', () => {
    expect(reachableAddress(addr('10.0.0.1', 1), addr('5.5.5.5', 2), me.wan)).toEqual(addr('10.0.0.1', 1));
    expect(reachableAddress(addr('10.0.0.1', 1), addr('6.6.6.6', 2), me.wan)).toEqual(addr('6.6.6.6', 2));
  });
  it('introduction-request fields (spec §7.5)', () => {
    const c = new WalkCandidate({ address: addr('7.7.7.7', 1) });
    expect(buildIntroductionRequest(c, me, 42)).toEqual({
      destinationAddress: addr('7.7.7.7', 1),
      sourceLanAddress: me.lan,
      sourceWanAddress: me.wan,
      advice: true,
      connectionType: 'unknown',
      identifier: 42,
    });
    expect(buildIntroductionRequest(c, me, 42, false).advice).toBe(false);
  });
  it('introduction-response fields with and without an introduction (spec §7.6)', () => {
    const requester = new WalkCandidate({ address: addr('7.7.7.7', 1) });
    const introduced = new WalkCandidate({ address: addr('8.8.8.8', 2), lan: addr('10.0.0.8', 2), tunnel: true });
    expect(buildIntroductionResponse(requester, me, introduced, 9)).toEqual({
      destinationAddress: addr('7.7.7.7', 1),
      sourceLanAddress: me.lan,
      sourceWanAddress: me.wan,
      lanIntroductionAddress: addr('10.0.0.8', 2),
      wanIntroductionAddress: addr('8.8.8.8', 2),
      connectionType: 'unknown',
      tunnel: true,
      identifier: 9,
    });
    expect(buildIntroductionResponse(requester, me, null, 9)).toMatchObject({
      lanIntroductionAddress: NO_ADDRESS,
      wanIntroductionAddress: NO_ADDRESS,
      tunnel: false,
    });
  });
});
