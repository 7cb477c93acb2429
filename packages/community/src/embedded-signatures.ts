/**
 * Signatures of messages embedded in other messages (spec §2.4, §4.2): dispersy-signature-request and
 * dispersy-signature-response carry a complete double-signed packet in their payload. The codec decodes that
 * packet with the outer packet's options (empty signatures allowed), so when the pipeline decodes with
 * `verify: false` — to verify inline per batch or on the node's worker pool — the embedded signatures are not
 * verified either. These helpers list and verify the signatures of a message AND of every message embedded in it
 * (nested at most as deep as the codec allows), so the pipeline treats an invalid co-signature like an invalid
 * outer signature: a counted `BAD_SIGNATURE` drop.
 */
import { signatureChecks, signatureRequestPayload, verifyMessageSignatures, type DecodedMessage, type SignatureCheck } from '@dispersy/codec';

/**
 * The message embedded in a message's payload, if its meta carries one (the signature-request payload codec).
 * @param message a decoded message
 * @returns the embedded message, or undefined
 * @example `embeddedMessage(request)?.name // 'double-signed-text'`
 */
export function embeddedMessage(message: DecodedMessage): DecodedMessage | undefined {
  if (message.meta.payload !== (signatureRequestPayload as unknown)) return undefined;
  const payload = message.payload as { readonly message?: DecodedMessage } | null;
  return payload?.message;
}

/**
 * Every signature check of a message and of the messages embedded in it (outer first), empty signatures left
 * out (decoding has already decided whether they are allowed).
 * @param message a decoded message
 * @returns the checks, for `verifyBatch` on a worker pool
 * @throws TypeError for something that is not a decoded message
 * @example `pool.verifyBatch(allSignatureChecks(message))`
 */
export function allSignatureChecks(message: DecodedMessage): SignatureCheck[] {
  const checks: SignatureCheck[] = [];
  for (let m: DecodedMessage | undefined = message; m !== undefined; m = embeddedMessage(m)) checks.push(...signatureChecks(m));
  return checks;
}

/**
 * Verifies every non-empty signature of a message and of the messages embedded in it.
 * @param message a decoded message
 * @returns true if all verify (a verifier that throws counts as invalid)
 * @throws TypeError for something that is not a decoded message
 * @example `if (!verifyAllSignatures(message)) statistics.drop('packet', 'BAD_SIGNATURE');`
 */
export function verifyAllSignatures(message: DecodedMessage): boolean {
  for (let m: DecodedMessage | undefined = message; m !== undefined; m = embeddedMessage(m)) {
    if (!verifyMessageSignatures(m)) return false;
  }
  return true;
}
