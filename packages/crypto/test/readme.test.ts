/** Runs the README's example (house style P12: examples that no job runs rot), with the key file in a temp dir. */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';

import { expect, it } from 'vitest';

import * as api from '../src/index.ts';

const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => (
  ...args: unknown[]
) => Promise<void>;

it('the README example runs and prints what its comments say', async () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const example = /## Example\s+```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(example).toBeDefined();
  const dir = mkdtempSync(join(tmpdir(), 'dispersy-readme-'));
  try {
    const path = join(dir, 'member.pem');
    const code = (example ?? '')
      .replace(/^import \{([^}]*)\} from '@dispersy\/crypto';$/m, 'const {$1} = api;')
      .replaceAll("'member.pem'", JSON.stringify(path));
    expect(code).not.toContain('import ');
    const printed: string[] = [];
    const fakeConsole = { log: (...values: unknown[]) => printed.push(values.map((v) => inspect(v)).join(' ')) };
    await new AsyncFunction('api', 'console', code)(api, fakeConsole);
    expect(printed).toEqual(["'curve25519' true", expect.stringMatching(/^'[0-9a-f]{40}'$/), '144', '[ true ]', '20']);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it('exports exactly the documented public surface', () => {
  expect(Object.keys(api).sort()).toEqual(
    [
      'DEFAULT_PUBLIC_KEY_CACHE_SIZE',
      'DEFAULT_SECURITY_LEVEL',
      'KEY_FILE_MODE',
      'KeyFileError',
      'KeyFormatError',
      'PEM_LABELS',
      'SECURITY_LEVELS',
      'VerifyPoolError',
      'clearPublicKeyCache',
      'createVerifyPool',
      'detectLevel',
      'generateKeyPair',
      'getBackend',
      'isPrivateKey',
      'isPublicKey',
      'isSecurityLevel',
      'loadKeyFile',
      'loadKeyFileSync',
      'memberId',
      'privateKeyFromBytes',
      'privateKeyFromHex',
      'privateKeyFromPem',
      'privateKeyToHex',
      'privateKeyToPem',
      'publicKeyFromBytes',
      'publicKeyFromHex',
      'publicKeyFromPem',
      'publicKeyToHex',
      'publicKeyToPem',
      'saveKeyFile',
      'saveKeyFileSync',
      'securityLevelInfo',
      'setBackend',
      'setPublicKeyCacheSize',
      'verifySignature',
    ].sort(),
  );
});
