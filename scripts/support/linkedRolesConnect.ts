/**
 * A member's browser through Linked Roles: Encore's `/linked-roles` (the verification URL), the
 * Discord emulator's consent page and its Authorize button as `discordUserId`, then the callback
 * with the cookie `/linked-roles` set. Redirects are followed by hand, as a browser would.
 */
export async function connectLinkedRoles(
  publicUrl: string,
  discordUserId: string,
): Promise<{ status: number; html: string }> {
  const start = await fetch(`${publicUrl}/linked-roles`, { redirect: 'manual' });
  const cookie = (start.headers.get('set-cookie') ?? '').split(';')[0]!;
  const authorize = new URL(start.headers.get('location')!);
  const form = new URLSearchParams({
    ...Object.fromEntries(authorize.searchParams),
    user_id: discordUserId,
    decision: 'authorize',
  });
  const decided = await fetch(new URL('/oauth2/authorize', authorize), {
    method: 'POST',
    body: form,
    redirect: 'manual',
  });
  const page = await fetch(decided.headers.get('location')!, { headers: { cookie } });
  return { status: page.status, html: await page.text() };
}
