/**
 * Error classes of @dispersy/crypto (house style §2.6).
 *
 * Domain errors extend {@link DispersyError} and carry a stable `code`; callers branch on `code` or on the class's
 * static `is()`, never on the message text. Programmer errors (an argument of the wrong type, an unknown level name)
 * are plain `TypeError` / `RangeError` naming the parameter, and are not listed here.
 */
import { DispersyError, type DispersyErrorOptions } from '@dispersy/interfaces';

/**
 * Codes of {@link KeyFormatError}: why some bytes or text are not a key we accept.
 *
 * | code | meaning |
 * | --- | --- |
 * | `UNKNOWN_KEY_FORMAT` | neither `LibNaCLPK:` / `LibNaCLSK:` nor an EC DER key (also: a PEM label we do not know) |
 * | `TRUNCATED_KEY` | fewer bytes than the format needs (including empty input, and a DER length running past the end) |
 * | `TRAILING_BYTES` | more bytes than the format holds |
 * | `BAD_DER` | DER that breaks the SubjectPublicKeyInfo / SEC1 structure or DER's encoding rules |
 * | `UNSUPPORTED_CURVE` | a well-formed EC key on a curve that is not one of the four security levels |
 * | `INVALID_KEY` | well-formed, supported, but the key material is rejected (point not on the curve, scalar out of range, embedded public key not matching) |
 * | `WRONG_KEY_KIND` | a private key where a public key was expected, or the reverse |
 * | `BAD_HEX` | text that is not an even number of hex digits |
 * | `BAD_PEM` | missing or mismatched armor, bad base64, or a label that does not match the content |
 */
export type KeyFormatErrorCode =
  | 'UNKNOWN_KEY_FORMAT'
  | 'TRUNCATED_KEY'
  | 'TRAILING_BYTES'
  | 'BAD_DER'
  | 'UNSUPPORTED_CURVE'
  | 'INVALID_KEY'
  | 'WRONG_KEY_KIND'
  | 'BAD_HEX'
  | 'BAD_PEM';

/**
 * Some bytes or text are not a key of a supported security level (spec §3.2). Thrown by every key parser; never a raw
 * OpenSSL error (that one, if any, is the `cause`).
 */
export class KeyFormatError extends DispersyError {
  static readonly name = 'KeyFormatError';
  declare readonly code: KeyFormatErrorCode;

  /**
   * @param code the condition, see {@link KeyFormatErrorCode}
   * @param message human-readable explanation
   * @param options optional cause
   */
  constructor(code: KeyFormatErrorCode, message: string, options: DispersyErrorOptions = {}) {
    super(code, message, options);
  }

  /**
   * True when `err` is a {@link KeyFormatError} (also from another installed copy of this package).
   * @param err any value
   * @returns whether `err` is a key format error
   */
  static override is(err: unknown): err is KeyFormatError {
    return DispersyError.is(err) && err.name === 'KeyFormatError';
  }
}

/**
 * Codes of {@link KeyFileError}.
 *
 * | code | meaning |
 * | --- | --- |
 * | `KEY_FILE_EXISTS` | `saveKeyFile` would overwrite an existing file and `overwrite` was not set |
 * | `KEY_FILE_NOT_FOUND` | `loadKeyFile` found no file at the path |
 * | `KEY_FILE_CORRUPT` | the file is not a PEM private key we accept (the {@link KeyFormatError} is the cause) |
 * | `KEY_FILE_IO` | any other file-system failure (permissions, a directory, a full disk); the system error is the cause |
 */
export type KeyFileErrorCode = 'KEY_FILE_EXISTS' | 'KEY_FILE_NOT_FOUND' | 'KEY_FILE_CORRUPT' | 'KEY_FILE_IO';

/** Reading or writing a key file failed. */
export class KeyFileError extends DispersyError {
  static readonly name = 'KeyFileError';
  declare readonly code: KeyFileErrorCode;

  /**
   * @param code the condition, see {@link KeyFileErrorCode}
   * @param message human-readable explanation, naming the path
   * @param options optional cause
   */
  constructor(code: KeyFileErrorCode, message: string, options: DispersyErrorOptions = {}) {
    super(code, message, options);
  }

  /**
   * True when `err` is a {@link KeyFileError}.
   * @param err any value
   * @returns whether `err` is a key file error
   */
  static override is(err: unknown): err is KeyFileError {
    return DispersyError.is(err) && err.name === 'KeyFileError';
  }
}

/**
 * Codes of {@link VerifyPoolError}.
 *
 * | code | meaning |
 * | --- | --- |
 * | `POOL_CLOSED` | the pool was closed before or while the batch ran |
 * | `WORKER_CRASHED` | a worker thread died while verifying part of the batch (the pool starts a new one for the next batch) |
 */
export type VerifyPoolErrorCode = 'POOL_CLOSED' | 'WORKER_CRASHED';

/** A verification pool could not produce a batch's results. */
export class VerifyPoolError extends DispersyError {
  static readonly name = 'VerifyPoolError';
  declare readonly code: VerifyPoolErrorCode;

  /**
   * @param code the condition, see {@link VerifyPoolErrorCode}
   * @param message human-readable explanation
   * @param options optional cause
   */
  constructor(code: VerifyPoolErrorCode, message: string, options: DispersyErrorOptions = {}) {
    super(code, message, options);
  }

  /**
   * True when `err` is a {@link VerifyPoolError}.
   * @param err any value
   * @returns whether `err` is a verification pool error
   */
  static override is(err: unknown): err is VerifyPoolError {
    return DispersyError.is(err) && err.name === 'VerifyPoolError';
  }
}
