import type { CallbackResult } from '../../app/accounts/linking.js';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A small self-contained page in Discord's colours: no external assets, every value escaped. */
export function page(title: string, message: string, tone: 'ok' | 'problem'): string {
  const accent = tone === 'ok' ? '#57F287' : '#ED4245';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Encore – ${escape(title)}</title><style>
body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;background:#313338;color:#F2F3F5;font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif}
main{max-width:440px;margin:24px;padding:32px;background:#2B2D31;border-radius:12px;border-top:4px solid ${accent}}
h1{font-size:22px;margin:0 0 12px}p{color:#DBDEE1;margin:0}.brand{color:#B5BAC1;font-size:13px;margin-top:24px}
</style></head><body><main><h1>${escape(title)}</h1><p>${escape(message)}</p><p class="brand">Encore · Spotify in Discord</p></main></body></html>`;
}

/** What the member reads after Spotify sends them back: what happened and what to do. */
export function callbackPage(result: CallbackResult): { status: number; html: string } {
  switch (result.kind) {
    case 'linked':
      return { status: 200, html: page(`Linked as ${result.displayName}`, 'You can close this tab and go back to Discord. I’ve sent you a DM to choose what others may see.', 'ok') };
    case 'denied':
      return { status: 200, html: page('Linking cancelled', 'You chose not to connect Spotify, so nothing was linked. Run /link in Discord if you change your mind.', 'problem') };
    case 'bad-state':
      return { status: 400, html: page('This link has expired', 'This sign-in link was already used or is too old. Run /link in Discord to get a fresh one — links last ten minutes and work once.', 'problem') };
    case 'missing-code':
      return { status: 400, html: page('Spotify didn’t finish', 'Spotify sent you back without confirming the connection. Run /link in Discord and try again.', 'problem') };
    case 'exchange-failed':
      return { status: 502, html: page('Spotify didn’t confirm the link', 'Something went wrong while confirming with Spotify. Run /link in Discord and try again in a minute.', 'problem') };
    case 'not-allowlisted':
      return { status: 403, html: page('Your Spotify account isn’t registered with this bot', 'This bot’s Spotify app is in development mode, which only works for accounts its operator added in the Spotify dashboard. Ask the person who runs Encore in your server to add you, then run /link again.', 'problem') };
    case 'user-cap':
      return { status: 403, html: page('This bot is full', 'This bot has reached its limit of linked Spotify accounts (Spotify allows 5 for a new app). Ask the person who runs Encore to free a place or raise the limit.', 'problem') };
    case 'already-linked-elsewhere':
      return { status: 409, html: page('Already linked to someone else', 'This Spotify account is linked to another Discord account on this bot. Unlink it there with /unlink first, or use your own Spotify account.', 'problem') };
  }
}
