import { DiscordAPIError, type Client, type MessageCreateOptions } from 'discord.js';

/** Discord's "Cannot send messages to this user": the member closed DMs from server members. */
const CANNOT_DM = 50007;

/** Sends a DM; 'closed' when the member doesn't accept DMs from the bot, so callers can fall back. */
export async function sendDm(client: Client, userId: string, message: MessageCreateOptions): Promise<'sent' | 'closed'> {
  try {
    const user = await client.users.fetch(userId);
    await user.send(message);
    return 'sent';
  } catch (error) {
    if (error instanceof DiscordAPIError && error.code === CANNOT_DM) return 'closed';
    throw error;
  }
}
