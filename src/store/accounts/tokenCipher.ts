import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** A ciphertext as stored: the key id lets old rows be read after the key is rotated. */
export interface Sealed {
  keyId: string;
  iv: string;
  tag: string;
  data: string;
}

export interface TokenCipher {
  seal(plaintext: string): Sealed;
  open(sealed: Sealed): string;
}

export const keyIdOf = (key: Buffer) => createHash('sha256').update(key).digest('hex').slice(0, 8);

/**
 * AES-256-GCM with a fresh 96-bit IV per value. `current` encrypts; any of `keys` (base64, the
 * current one first) decrypts, chosen by the key id stored beside the ciphertext.
 */
export function createTokenCipher(keys: string[]): TokenCipher {
  const byId = new Map(keys.map((k) => Buffer.from(k, 'base64')).map((k) => [keyIdOf(k), k] as const));
  const current = Buffer.from(keys[0]!, 'base64');
  const currentId = keyIdOf(current);
  return {
    seal(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', current, iv);
      const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return {
        keyId: currentId,
        iv: iv.toString('base64'),
        tag: cipher.getAuthTag().toString('base64'),
        data: data.toString('base64'),
      };
    },
    open(sealed) {
      const key = byId.get(sealed.keyId);
      if (!key) throw new Error(`no encryption key with id ${sealed.keyId} is configured`);
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
      decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString('utf8');
    },
  };
}
