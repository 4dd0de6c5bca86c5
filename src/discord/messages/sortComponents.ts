import type { ActionRowBuilder, ButtonBuilder, EmbedBuilder } from 'discord.js';
import type { GenreSource, OrderChoice } from '../../app/sort/index.js';
import { componentIdCodec } from '../customId.js';

/** A message as the sort feature shows it: the caller picks where it goes (reply, edit, DM). */
export interface SortMessage {
  embeds: EmbedBuilder[];
  components: ActionRowBuilder<ButtonBuilder>[];
}

/**
 * Every /sort button, for its owner only: the id carries who may press it and which job (or genre
 * choice) it acts on.
 */
export const sortComponentIds = componentIdCodec(
  'sort',
  [
    'confirm',
    'cancel',
    'stop',
    'order-replace',
    'order-keep',
    'order-cancel',
    'genres-now',
    'genres-thrifty',
    'genres-cancel',
  ],
  ['jobId', 'ownerId'],
);
export type SortAction = NonNullable<ReturnType<typeof sortComponentIds.decode>>['action'];
/** The answer a "reorder now or keep the dates?" button gives. */
export const orderChoiceOf: Partial<Record<SortAction, OrderChoice>> = {
  'order-replace': 'replace',
  'order-keep': 'keep',
  'order-cancel': 'cancel',
};
/** The answer a "now or thrifty?" button gives. */
export const genreSourceOf: Partial<Record<SortAction, GenreSource>> = {
  'genres-now': 'now',
  'genres-thrifty': 'thrifty',
  'genres-cancel': 'cancel',
};

/** The id of a /sort button only `ownerId` may press, acting on `jobId`. */
export const sortButtonId = (action: SortAction, jobId: string, ownerId: string) =>
  sortComponentIds.encode({ action, jobId, ownerId });
