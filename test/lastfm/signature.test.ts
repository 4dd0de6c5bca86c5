import { describe, expect, it } from 'vitest';
import { lastfmApiSig } from '../../src/lastfm/index.js';
import { lastfmSignature } from '../../emulators/lastfm/server.js';

// The worked examples of lastfm-docs/api-docs docs/auth/signature.md (commit c189e9d2): the client and
// the emulator must both reproduce Last.fm's own arithmetic, not merely agree with each other.
describe('Last.fm api_sig', () => {
  it('matches the documented auth.getSession example, format left out', () => {
    const params = {
      method: 'auth.getSession',
      api_key: 'YOUR_API_KEY',
      token: 'YOUR_REQUESTED_TOKEN',
      format: 'json',
    };
    expect(lastfmApiSig(params, 'YOUR_SECRET')).toBe('94539006DE89B3C6B3C030BB1E52B9C4'.toLowerCase());
    expect(lastfmSignature(params, 'YOUR_SECRET')).toBe('94539006DE89B3C6B3C030BB1E52B9C4'.toLowerCase());
  });

  it('matches the documented track.love example: every parameter, sorted, values not URL-encoded', () => {
    const params = {
      method: 'track.love',
      artist: 'KITANO REM',
      track: 'RAINSICK',
      api_key: 'YOUR_API_KEY',
      sk: 'YOUR_SESSION_KEY',
      format: 'json',
    };
    expect(lastfmApiSig(params, 'YOUR_SECRET')).toBe('800B8884B00C9343D1D425ED271E0F42'.toLowerCase());
  });
});
