import { ActionRowBuilder, ButtonBuilder, ButtonStyle } from 'discord.js';
import type { SplitGenreChoice } from '../../app/sort/index.js';
import { brandEmbed } from '../replies.js';
import { plural } from './format.js';
import { sortComponentIds, type SortMessage } from './sortMessages.js';

type GenreChoiceAction = 'genres-now' | 'genres-thrifty' | 'genres-cancel';

/** The buttons of a "now or thrifty" choice, for its owner only (the choice's id in the job's place). */
const genreChoiceButtonId = (action: GenreChoiceAction, choiceId: string, ownerId: string) =>
  sortComponentIds.encode({ action, jobId: choiceId, ownerId });

/** A large split: find the genres now with Spotify's quota, or thriftily on MusicBrainz. */
export function genreChoiceMessage(choice: SplitGenreChoice, ownerId: string): SortMessage {
  const n = choice.unknownArtists;
  const m = choice.thriftyMinutes;
  return {
    embeds: [
      brandEmbed({
        title: `“${choice.source.playlist.name}” has ${plural(n, 'artist')} I don’t know yet`,
        description:
          `How should I find their genres?\n\n` +
          `**Now** — the preview in a moment, using **${n}** of today’s Spotify requests (${choice.remainingBudget} left today, shared by every member).\n` +
          `**Thrifty** — ready in about **${plural(m, 'minute')}**, no Spotify requests: I look the artists up on MusicBrainz, ` +
          `then update this message (or DM you the preview). Artists neither knows go into “Unclassified”.`,
        footer: 'Nothing is written until you confirm the preview.',
      }),
    ],
    components: [
      new ActionRowBuilder<ButtonBuilder>().addComponents(
        new ButtonBuilder()
          .setCustomId(genreChoiceButtonId('genres-now', choice.id, ownerId))
          .setLabel(`Now (${n} Spotify requests)`)
          .setStyle(ButtonStyle.Primary),
        new ButtonBuilder()
          .setCustomId(genreChoiceButtonId('genres-thrifty', choice.id, ownerId))
          .setLabel(`Thrifty (about ${m} min)`)
          .setStyle(ButtonStyle.Success),
        new ButtonBuilder()
          .setCustomId(genreChoiceButtonId('genres-cancel', choice.id, ownerId))
          .setLabel('Cancel')
          .setStyle(ButtonStyle.Secondary),
      ),
    ],
  };
}

/** Thrifty chosen: what happens next. */
export function thriftyStartedMessage(choice: SplitGenreChoice): SortMessage {
  return {
    embeds: [
      brandEmbed({
        title: 'Finding genres on MusicBrainz…',
        description: `About ${plural(choice.thriftyMinutes, 'minute')} for ${plural(choice.unknownArtists, 'artist')}, without a single Spotify request. The preview of “${choice.source.playlist.name}” will appear here, or in your DMs if it takes longer than Discord lets me edit this message.`,
      }),
    ],
    components: [],
  };
}

/** The line above a thrifty preview that arrives by DM. */
export const thriftyPreviewDmContent = (playlistName: string) =>
  `🎧 Your thrifty sort of **${playlistName}** is ready to preview:`;

/** The DM when a thrifty preview could not be finished: the choice is failed, /sort starts over. */
export const thriftyPreviewFailedDm = (playlistName: string) => ({
  content: `⚠️ I could not finish the thrifty preview of **${playlistName}**. Run **/sort** on it again.`,
});
