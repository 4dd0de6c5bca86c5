import { Events, type Client, type GuildMember, type PartialGuildMember } from 'discord.js';
import { memberLeft, memberRejoined, type MembershipDeps } from '../app/social/membership.js';
import type { Logger } from '../log.js';

/** Discord's member events applied to server social (only with the privileged members intent; the sweep covers the rest). */
export function applyMemberEvents(client: Client | undefined, deps: MembershipDeps, log: Logger): void {
  if (!client) return;
  const handle = (what: string, work: () => Promise<unknown>) =>
    void work().catch((error: unknown) => log.warn({ err: error }, `social: a member ${what} could not be applied`));
  client.on(Events.GuildMemberRemove, (member: GuildMember | PartialGuildMember) =>
    handle('leaving', () => memberLeft(deps, member.guild.id, member.id)),
  );
  client.on(Events.GuildMemberAdd, (member: GuildMember) =>
    handle('rejoining', () => memberRejoined(deps, member.guild.id, member.id)),
  );
}
