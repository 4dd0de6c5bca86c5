import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTokenCipher, keyIdOf } from '../../src/store/accounts/tokenCipher.js';
import { aKey } from './factories.js';

const secret = 'AQD-refresh-token-value-1234567890';

describe('token encryption at rest (AES-256-GCM)', () => {
  it('reads back what it sealed, and the ciphertext does not contain the plaintext', () => {
    const cipher = createTokenCipher([aKey()]);
    const sealed = cipher.seal(secret);
    expect(JSON.stringify(sealed)).not.toContain(secret);
    expect(JSON.stringify(sealed)).not.toContain(Buffer.from(secret).toString('base64'));
    expect(cipher.open(sealed)).toBe(secret);
  });

  it('stores the key id beside the ciphertext: the first 8 hex digits of the key’s SHA-256', () => {
    const key = aKey();
    const expected = createHash('sha256').update(Buffer.from(key, 'base64')).digest('hex').slice(0, 8);
    expect(keyIdOf(Buffer.from(key, 'base64'))).toBe(expected);
    expect(createTokenCipher([key]).seal(secret).keyId).toBe(expected);
  });

  it('uses a fresh IV every time, so equal tokens never look equal', () => {
    const cipher = createTokenCipher([aKey()]);
    const a = cipher.seal(secret);
    const b = cipher.seal(secret);
    expect(a.iv).not.toBe(b.iv);
    expect(a.data).not.toBe(b.data);
  });

  it('after a key rotation, reads rows sealed with the old key and seals new ones with the new key', () => {
    const oldKey = aKey();
    const newKey = aKey();
    const before = createTokenCipher([oldKey]).seal(secret);
    const rotated = createTokenCipher([newKey, oldKey]);
    expect(rotated.open(before)).toBe(secret);
    expect(rotated.seal(secret).keyId).toBe(keyIdOf(Buffer.from(newKey, 'base64')));
  });

  it('refuses a row sealed with a key that is no longer configured, naming its key id', () => {
    const gone = createTokenCipher([aKey()]).seal(secret);
    expect(() => createTokenCipher([aKey()]).open(gone)).toThrow(gone.keyId);
  });

  it('refuses a ciphertext that was tampered with', () => {
    const cipher = createTokenCipher([aKey()]);
    const sealed = cipher.seal(secret);
    const data = Buffer.from(sealed.data, 'base64');
    data[0] = data[0]! ^ 1;
    expect(() => cipher.open({ ...sealed, data: data.toString('base64') })).toThrow();
  });
});
