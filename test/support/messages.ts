import type { RecordedMessage } from '../../emulators/discord/index.js';

/** What end-to-end tests read in the messages a member sees. */

/** Every button (link buttons too) of a message, row after row. */
export const buttons = (m: RecordedMessage) =>
  (m.components as Array<{ components: Array<{ custom_id?: string; label?: string; url?: string }> }>).flatMap(
    (row) => row.components,
  );

/** A message's embeds as one string, for `toContain`. */
export const text = (m?: RecordedMessage) => JSON.stringify(m?.embeds ?? []);

/** A message's content and embeds as one string, for `toContain`. */
export const contentAndEmbeds = (m?: RecordedMessage) => JSON.stringify([m?.content ?? '', m?.embeds ?? []]);

/** The URL of a message's first link button (the link DM's "Link Spotify", a relink nudge's). */
export const linkUrl = (m: RecordedMessage) =>
  (m.components[0] as { components: Array<{ url?: string }> }).components[0]!.url!;
