/**
 * What a member's browser does with a `/link/<token>` URL: open the page that says which Discord
 * account will be linked, then press its Continue button (the page's one POST form). Returns where
 * Continue leads (Spotify's authorize URL), or the page that was shown instead.
 */
export async function followLinkPage(url: string): Promise<{ status: number; html: string; authorizeUrl?: string }> {
  const page = await fetch(url);
  const html = await page.text();
  if (page.status !== 200) return { status: page.status, html };
  const form = /<form\b[^>]*\bmethod="post"[^>]*>/i.exec(html)?.[0];
  if (!form) return { status: page.status, html };
  const action = /\baction="([^"]*)"/.exec(form)?.[1];
  const continued = await fetch(new URL(action ?? '', url), { method: 'POST', redirect: 'manual' });
  const authorizeUrl = continued.headers.get('location') ?? undefined;
  return { status: continued.status, html: authorizeUrl ? html : await continued.text(), authorizeUrl };
}
