import {
  MessageFlags,
  SlashCommandBuilder,
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  type InteractionEditReplyOptions,
  type MessageComponentInteraction,
} from 'discord.js';
import { isVisibleIn, privacyOf } from '../src/app/privacy/privacy.js';
import { memberLeft } from '../src/app/social/membership.js';
import {
  dismissSuggestions,
  likeSuggestions,
  ownAnswer,
  saveAnswer,
  suggestForMember,
  visibleNow,
  type StillVisible,
  type SuggestAnswer,
} from '../src/app/suggest/answers.js';
import type { SuggestFrom, SuggestionSource } from '../src/app/suggest/ports.js';
import { turnRadarOff, turnRadarOn } from '../src/app/suggest/radar.js';
import type { Services } from '../src/app/services.js';
import { UserError } from '../src/core/errors.js';
import { FAMILY_TREE } from '../src/core/genres/index.js';
import { serviceNeeds, type CommandContext, type ServicesWith } from '../src/discord/command.js';
import { progressEdits } from '../src/discord/progress.js';
import {
  noSuggestionsMessage,
  notYourSuggestionsMessage,
  radarOffMessage,
  radarOnMessage,
  saveAnswerNote,
  suggestAnswerMessage,
  suggestComponentIds,
  suggestProgressMessage,
} from '../src/discord/messages/suggestMessage.js';
import { EVERYWHERE, EVERY_INSTALL } from '../src/discord/installContext.js';

export const data = new SlashCommandBuilder()
  .setName('suggest')
  .setDescription('Tracks you don’t know yet, each with why — from your artists, your genres and your server')
  .setIntegrationTypes(EVERY_INSTALL)
  .setContexts(EVERYWHERE)
  .addIntegerOption((o) => o.setName('count').setDescription('How many (default 10)').setMinValue(1).setMaxValue(10))
  .addStringOption((o) =>
    o
      .setName('from')
      .setDescription('Where suggestions come from (default: everything)')
      .addChoices(
        { name: 'Everything', value: 'everything' },
        { name: 'My artists (new releases, deeper cuts)', value: 'artists' },
        { name: 'My server (listeners like me)', value: 'server' },
        { name: 'A genre', value: 'genre' },
      ),
  )
  .addStringOption((o) =>
    o
      .setName('genre')
      .setDescription('A genre (start typing; yours come first)')
      .setAutocomplete(true)
      .setMaxLength(64),
  )
  .addStringOption((o) =>
    o
      .setName('radar')
      .setDescription('Encore Radar: a private playlist of fresh suggestions, refreshed every week')
      .addChoices({ name: 'On', value: 'on' }, { name: 'Off', value: 'off' }),
  );

/** Personal: only the member sees their suggestions. */
export const defer = 'ephemeral';

/** A slow answer (a cold cache) shows that it is working after this long. */
const PROGRESS_AFTER_MS = 1_500;

export const needs = serviceNeeds('suggestions', 'suggestions');
const clock = (services: Services) => services.now?.() ?? Date.now();
const edit = (interaction: ChatInputCommandInteraction | MessageComponentInteraction, message: object) =>
  interaction.editReply(message as InteractionEditReplyOptions);

export async function autocomplete(interaction: AutocompleteInteraction, { services }: CommandContext<'suggestions'>) {
  const typed = interaction.options.getFocused().toLowerCase();
  const mine = await services.suggestions.memberGenres(interaction.user.id, clock(services));
  const order = [...mine, ...FAMILY_TREE.map((g) => g.id).filter((id) => !mine.includes(id))];
  const names = new Map(FAMILY_TREE.map((g) => [g.id as string, g.name]));
  return order
    .map((id) => ({ name: names.get(id) ?? id, value: id }))
    .filter((c) => c.name.toLowerCase().includes(typed) || c.value.includes(typed));
}

/** A typed genre that autocomplete did not resolve: by key or by name. */
function genreKey(input: string): string {
  const typed = input.trim().toLowerCase();
  const found = FAMILY_TREE.find((g) => g.id === typed || g.name.toLowerCase() === typed);
  if (!found) throw new UserError('suggest.unknownGenre', { input });
  return found.id;
}

export async function execute(
  interaction: ChatInputCommandInteraction,
  { services }: CommandContext<'suggestions'>,
): Promise<void> {
  const d = services.suggestions;
  const now = clock(services);
  const memberId = interaction.user.id;
  const radar = interaction.options.getString('radar');
  if (radar === 'off') {
    const { wasOn, playlistId } = await turnRadarOff(d.radar, memberId);
    return void (await edit(interaction, radarOffMessage(wasOn, playlistId)));
  }
  if (radar === 'on') {
    // The member is waiting: the first fill asks Spotify at interactive priority, not the job's background one.
    const radarNow = { ...d.radar, suggest: d.answers.service };
    const { record, outcome } = await turnRadarOn(radarNow, memberId, interaction.guildId ?? undefined, now);
    return void (await edit(interaction, radarOnMessage(record.playlistId, outcome)));
  }

  const typedGenre = interaction.options.getString('genre');
  const from = (interaction.options.getString('from') ?? (typedGenre ? 'genre' : 'everything')) as SuggestFrom;
  if (from === 'genre' && !typedGenre) throw new UserError('suggest.genreMissing');
  const progress = progressEdits((message: object) => edit(interaction, message));
  progress.showAfter(PROGRESS_AFTER_MS, suggestProgressMessage());
  let answered: Awaited<ReturnType<typeof suggestForMember>>;
  try {
    answered = await suggestForMember(d.answers, {
      memberId,
      ...(interaction.guildId ? { guildId: interaction.guildId } : {}),
      count: interaction.options.getInteger('count') ?? 10,
      from,
      ...(from === 'genre' && typedGenre ? { genre: genreKey(typedGenre) } : {}),
      now,
    });
  } finally {
    await progress.flush();
  }
  const { result, answer } = answered;
  if (!answer) return void (await edit(interaction, noSuggestionsMessage(result.skipped)));
  await edit(interaction, await render(services, answer, result.skipped));
}

/**
 * Who may be named in a server now: opted in there, and still a member (server social's membership
 * check, when that feature runs; one Discord says left is withdrawn there at once, as social does
 * before naming anyone). Without privacy choices nobody is named.
 */
const stillVisible =
  (services: Services): StillVisible =>
  async (guildId, memberId) => {
    if (!services.privacy || !isVisibleIn(await privacyOf(services.privacy, memberId), guildId)) return false;
    const social = services.social;
    if (!social || (await social.presence.isMember(guildId, memberId))) return true;
    await memberLeft(social, guildId, memberId);
    return false;
  };

/** Draws an answer; its reasons are checked again first (an answer is redrawn for a day after it was made). */
async function render(
  services: ServicesWith<'suggestions'>,
  stored: SuggestAnswer,
  skipped: readonly SuggestionSource[],
  note?: string,
) {
  const d = services.suggestions;
  const answer = await visibleNow(stored, stillVisible(services));
  const cited = answer.suggestions.flatMap((s) =>
    s.reason.source === 'server' ? s.reason.listeners.map((l) => l.memberId) : [],
  );
  const names = cited.length ? await d.memberNames(answer.guildId, [...new Set(cited)]) : new Map<string, string>();
  return suggestAnswerMessage(answer, { names, skipped, ...(note ? { note } : {}) });
}

export async function handleComponent(
  interaction: MessageComponentInteraction,
  { services }: CommandContext<'suggestions'>,
): Promise<void> {
  const id = suggestComponentIds.decode(interaction.customId);
  // The answer is ephemeral, but a component id can be replayed: only its owner acts on it.
  if (!id || id.ownerId !== interaction.user.id)
    return void (await interaction.reply({ ...notYourSuggestionsMessage(), flags: MessageFlags.Ephemeral }));
  const d = services.suggestions;
  await interaction.deferUpdate(); // Discord's 3 s: Spotify and the database come after
  const memberId = interaction.user.id;
  const positions = interaction.isStringSelectMenu() ? interaction.values.map(Number) : [];

  const { answerId } = id;
  if (id.action === 'like') {
    const answer = await likeSuggestions(d.answers, answerId, memberId, positions);
    return void (await edit(interaction, await render(services, answer, [])));
  }
  if (id.action === 'dismiss') {
    const answer = await dismissSuggestions(d.answers, answerId, memberId, positions);
    return void (await edit(interaction, await render(services, answer, [])));
  }
  const now = clock(services);
  const day = new Date(now).toLocaleDateString('en', { day: 'numeric', month: 'short', timeZone: 'UTC' });
  const outcome = await saveAnswer(d.answers, answerId, memberId, now, {
    name: `Encore suggestions · ${day}`,
    description: 'Suggested by Encore from your listening, each with why, in Discord',
  });
  const answer = await ownAnswer(d.answers, answerId, memberId);
  await edit(interaction, await render(services, answer, [], saveAnswerNote(outcome)));
}
