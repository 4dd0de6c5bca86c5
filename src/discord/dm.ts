import { DiscordAPIError, type Client, type MessageCreateOptions } from 'discord.js';
import type { MessageModel } from '../app/services.js';

/** Discord's "Cannot send messages to this user": the member closed DMs from server members. */
const CANNOT_DM = 50007;

/** Sends a DM; 'closed' when the member doesn't accept DMs from the bot, so callers can fall back. */
export async function sendDm(client: Client, userId: string, message: MessageModel): Promise<'sent' | 'closed'> {
  try {
    const user = await client.users.fetch(userId);
    // Message models come from the builders in ./messages, which make discord.js objects.
    await user.send(message as MessageCreateOptions);
    return 'sent';
  } catch (error) {
    if (error instanceof DiscordAPIError && error.code === CANNOT_DM) return 'closed';
    throw error;
  }
}
