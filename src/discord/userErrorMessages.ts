import { discordTime } from './messages/format.js';
import type { UserError } from '../core/errors.js';

const at = (ms: unknown) => (typeof ms === 'number' ? discordTime(ms) : 'later');

/** The one table that turns error identifiers into what the member reads (and can do). */
const MESSAGES: Record<string, (context: Readonly<Record<string, unknown>>) => string> = {
  'account.notLinked': () => 'You haven’t linked Spotify yet. Run **/link** and follow the link I DM you.',
  'spotify.relinkNeeded': () =>
    'Your Spotify link has expired (Spotify ends links after six months). Run **/link** to link again — your history is kept.',
  'spotify.quotaExceeded': (c) =>
    `Spotify’s daily limit for this bot is used up. Everything will work again ${at(c.resumesAt)}.`,
  'spotify.rateLimited': (c) => `Spotify asked us to slow down. Try again ${at(c.retryAt)}.`,
  'spotify.budgetExhausted': (c) =>
    `This bot has used today’s share of Spotify requests for this kind of work. It frees up ${at(c.availableAt)}.`,
  'spotify.unavailable': () => 'Spotify isn’t answering right now. Please try again in a few minutes.',
  'spotify.notAllowlisted': () =>
    'This Spotify account isn’t registered with this bot’s Spotify app yet. Ask the server admin who runs Encore to add you in the Spotify dashboard.',
  'spotify.forbidden': () => 'Spotify won’t let you read that — you can only use playlists you own or collaborate on.',
  'sort.notYourPlaylist': (c) =>
    `I can only sort playlists you own or collaborate on, and **${String(c.name ?? 'that playlist')}** isn’t one of them.`,
  'sort.emptyPlaylist': (c) => `**${String(c.name ?? 'That playlist')}** is empty — nothing to sort.`,
  'sort.nothingToSort': (c) =>
    `**${String(c.name ?? 'That playlist')}** has no tracks I can sort (only local files or episodes).`,
  'sort.playlistChanged': (c) =>
    `**${String(c.name ?? 'The playlist')}** changed while I was planning. Nothing was written — run the command again.`,
  'sort.playlistNotFound': () =>
    'I couldn’t find that playlist. Pick one from the list, or paste a Spotify playlist link.',
  'sort.jobGone': () => 'That preview has expired. Run **/sort** again.',
  'link.rateLimited': (c) => `You’ve asked for several links already. Try again ${at(c.retryAt)}.`,
  'link.dmOnlyInServer': () => 'Please use this command in a server.',
  'command.notConfigured': (c) =>
    `This bot isn’t set up for that yet${c.what ? ` (${String(c.what)})` : ''}. Ask the person who runs it.`,
};

export function userErrorMessage(error: UserError): string {
  const render = MESSAGES[error.id];
  return render
    ? render(error.context)
    : 'That didn’t work, and it’s something you can fix — but I don’t know how to explain it. Please tell the bot’s operator.';
}

/** Ids the table knows, for the test that every typed error has words. */
export const KNOWN_ERROR_IDS = Object.keys(MESSAGES);
