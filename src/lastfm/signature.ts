import { createHash } from 'node:crypto';

/**
 * Last.fm's method signature (https://www.last.fm/api/webauth, section 6): every parameter's name and
 * value concatenated in alphabetical order of name, `format` and `callback` left out, the shared
 * secret appended, md5 of the UTF-8 bytes as 32 hex digits.
 */
export function lastfmApiSig(params: Readonly<Record<string, string>>, sharedSecret: string): string {
  const text = Object.keys(params)
    .filter((name) => name !== 'format' && name !== 'callback' && name !== 'api_sig')
    .sort()
    .map((name) => `${name}${params[name]}`)
    .join('');
  return createHash('md5')
    .update(text + sharedSecret, 'utf8')
    .digest('hex');
}
