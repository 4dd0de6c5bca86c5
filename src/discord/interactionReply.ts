import { Routes, type Client } from 'discord.js';
import type { MessageModel } from '../app/services.js';
import type { InteractionReplyRef } from '../app/sort/ports.js';

const toJson = (part: object) =>
  'toJSON' in part && typeof part.toJSON === 'function' ? (part.toJSON as () => unknown)() : part;

/** Discord keeps an interaction token for 15 minutes; stop a little early. */
const TOKEN_LIFE_MS = 14 * 60_000;

/** What it takes to edit this interaction's original reply later, from any process. */
export function replyRefOf(interaction: {
  applicationId: string;
  token: string;
  createdTimestamp: number;
}): InteractionReplyRef {
  return {
    applicationId: interaction.applicationId,
    token: interaction.token,
    expiresAt: interaction.createdTimestamp + TOKEN_LIFE_MS,
  };
}

/**
 * Edits an interaction's original reply through its webhook, without the interaction object (it
 * may have come to another process, or before a restart). False once the token has expired.
 */
export async function editOriginalReply(
  client: Client,
  ref: InteractionReplyRef,
  message: MessageModel,
  now = Date.now(),
): Promise<boolean> {
  if (now >= ref.expiresAt) return false;
  const body = {
    embeds: (message.embeds ?? []).map(toJson),
    components: (message.components ?? []).map(toJson),
    attachments: [],
  };
  await client.rest.patch(Routes.webhookMessage(ref.applicationId, ref.token, '@original'), { body, auth: false });
  return true;
}
