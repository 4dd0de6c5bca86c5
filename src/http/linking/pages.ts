import { createHash } from 'node:crypto';
import type { CallbackResult, LinkPreview } from '../../app/accounts/linking.js';

export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const ACCENTS = { ok: '#57F287', problem: '#ED4245', ask: '#5865F2' } as const;
const pageStyle = (accent: string) => `
body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;background:#313338;color:#F2F3F5;font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif}
main{max-width:440px;margin:24px;padding:32px;background:#2B2D31;border-radius:12px;border-top:4px solid ${accent}}
h1{font-size:22px;margin:0 0 12px}p{color:#DBDEE1;margin:0}.brand{color:#B5BAC1;font-size:13px;margin-top:24px}
button{margin-top:20px;font:inherit;font-weight:600;color:#fff;background:#5865F2;border:0;border-radius:6px;padding:10px 20px;cursor:pointer}
`;

/** A CSP source for an inline `<style>` or `<script>` of exactly this text. */
export const cspHash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
/** The page style in each tone, as the Content-Security-Policy allows them (no other inline style runs). */
export const PAGE_STYLE_HASHES = Object.values(ACCENTS).map((accent) => cspHash(pageStyle(accent)));

/**
 * A small self-contained page in Discord's colours: no external assets, no script, every value
 * escaped. `button` adds a form that POSTs to the page's own address (its URL is never written
 * into the page).
 */
export function page(title: string, message: string, tone: 'ok' | 'problem' | 'ask', button?: string): string {
  const form = button ? `<form method="post"><button type="submit">${escapeHtml(button)}</button></form>` : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Encore – ${escapeHtml(title)}</title><style>${pageStyle(ACCENTS[tone])}</style></head><body><main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>${form}<p class="brand">Encore · Spotify in Discord</p></main></body></html>`;
}

/** How the page names the member: the name Discord showed when they ran /link, else their id. */
export const discordAccount = (who: { discordUserId: string; discordName?: string }) =>
  `Discord user ${who.discordName ?? who.discordUserId}`;

/**
 * GET /link/:token: says whose Discord account Spotify will be linked to before anything happens,
 * so whoever opens a forwarded link can see it isn't theirs. Only Continue (a POST) spends the link.
 */
export function linkConfirmPage(preview: LinkPreview): { status: number; html: string } {
  if (preview.kind === 'invalid-link') return expiredLinkPage();
  const message = `You are linking Spotify to ${discordAccount(preview)}. Not you? Close this page — nothing happens unless you continue. Spotify will then ask you to approve Encore.`;
  return { status: 200, html: page('Link Spotify to Discord', message, 'ask', 'Continue to Spotify') };
}

export const expiredLinkPage = () => ({
  status: 410,
  html: page(
    'This link has expired',
    'Links from /link last ten minutes and work once. Run /link in Discord to get a fresh one.',
    'problem',
  ),
});

/**
 * Any request that failed: a bad address (4xx) or a fault of ours (5xx, with the request id as a
 * reference the operator finds in the log). Never the error itself: no message, stack or path.
 */
export function errorPage(status: number, reference: string): string {
  if (status === 404)
    return page(
      'Page not found',
      'There is nothing at this address. Links from Encore come in a DM: run /link in Discord to get a fresh one.',
      'problem',
    );
  if (status < 500)
    return page(
      'That address isn’t right',
      'The link looks damaged — perhaps it was cut short when copied. Run /link in Discord to get a fresh one.',
      'problem',
    );
  return page(
    'Something went wrong on our side',
    `Please try again in a minute. If it keeps happening, tell the person who runs Encore this reference: ${reference}`,
    'problem',
  );
}

/** What the member reads after Spotify sends them back: what happened and what to do. */
export function callbackPage(result: CallbackResult): { status: number; html: string } {
  switch (result.kind) {
    case 'linked':
      return {
        status: 200,
        html: page(
          `Linked as ${result.displayName}`,
          `Spotify is now linked to ${discordAccount(result)}. You can close this tab and go back to Discord. I’ve sent you a DM to choose what others may see.`,
          'ok',
        ),
      };
    case 'denied':
      return {
        status: 200,
        html: page(
          'Linking cancelled',
          'You chose not to connect Spotify, so nothing was linked. Run /link in Discord if you change your mind.',
          'problem',
        ),
      };
    case 'bad-state':
      return {
        status: 400,
        html: page(
          'This link has expired',
          'This sign-in link was already used or is too old. Run /link in Discord to get a fresh one — links last ten minutes and work once.',
          'problem',
        ),
      };
    case 'missing-code':
      return {
        status: 400,
        html: page(
          'Spotify didn’t finish',
          'Spotify sent you back without confirming the connection. Run /link in Discord and try again.',
          'problem',
        ),
      };
    case 'exchange-failed':
      return {
        status: 502,
        html: page(
          'Spotify didn’t confirm the link',
          'Something went wrong while confirming with Spotify. Run /link in Discord and try again in a minute.',
          'problem',
        ),
      };
    case 'not-allowlisted':
      return {
        status: 403,
        html: page(
          'Your Spotify account isn’t registered with this bot',
          'This bot’s Spotify app is in development mode, which only works for accounts its operator added in the Spotify dashboard. Ask the person who runs Encore in your server to add you, then run /link again.',
          'problem',
        ),
      };
    case 'user-cap':
      return {
        status: 403,
        html: page(
          'This bot is full',
          'This bot has reached its limit of linked Spotify accounts (Spotify allows 5 for a new app). Ask the person who runs Encore to free a place or raise the limit.',
          'problem',
        ),
      };
    case 'already-linked-elsewhere':
      return {
        status: 409,
        html: page(
          'Already linked to someone else',
          'This Spotify account is linked to another Discord account on this bot. Unlink it there with /unlink first, or use your own Spotify account.',
          'problem',
        ),
      };
  }
}
