/** A member's Spotify tokens. expiresAt is epoch ms. */
export interface TokenSet {
  accessToken: string;
  refreshToken: string;
  expiresAt: number;
  scope: string;
}
