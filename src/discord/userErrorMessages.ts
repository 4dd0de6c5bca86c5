import { discordTime } from './messages/format.js';
import type { UserError } from '../core/errors.js';

const at = (ms: unknown) => (typeof ms === 'number' ? discordTime(ms) : 'later');

/** The one table that turns error identifiers into what the member reads (and can do). */
const MESSAGES: Record<string, (context: Readonly<Record<string, unknown>>) => string> = {
  'account.notLinked': (c) =>
    c.spotifyPlacesLeft === 0
      ? 'You haven’t linked Spotify yet, and all of this bot’s Spotify places are taken (Spotify allows a new app only a few members). Leaderboards, /whoknows, /chart and the digest work with ListenBrainz or Last.fm too: run **/link source:ListenBrainz** or **/link source:Last.fm**.'
      : 'You haven’t linked Spotify yet. Run **/link** and follow the link I DM you' +
        (typeof c.spotifyPlacesLeft === 'number'
          ? ` (${c.spotifyPlacesLeft} Spotify place${c.spotifyPlacesLeft === 1 ? '' : 's'} left on this bot).`
          : '.'),
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
  'settings.unknownTimeZone': (c) =>
    `**${String(c.input ?? 'That')}** isn’t a time zone I know. Pick one from the list as you type (a city, like Europe/Paris or America/New_York).`,
  'link.rateLimited': (c) => `You’ve asked for several links already. Try again ${at(c.retryAt)}.`,
  'sources.accountTaken': (c) =>
    `That ${c.source === 'lastfm' ? 'Last.fm' : 'ListenBrainz'} account is already connected to another Discord member here. If it is yours, ask them to run **/unlink**.`,
  'sources.listenbrainzTokenInvalid': () =>
    'ListenBrainz doesn’t recognise that user token. Copy it again from <https://listenbrainz.org/settings/> (the “User token” box) and try once more.',
  'sources.unavailable': (c) =>
    `${c.source === 'lastfm' ? 'Last.fm' : 'ListenBrainz'} isn’t answering right now. Nothing was saved; please try again in a few minutes.`,
  'nowPlaying.notLinked': () =>
    'You haven’t connected any listening yet, so I can’t tell what you’re playing. Run **/link** to connect Spotify, or **/link source:ListenBrainz** or **/link source:Last.fm**.',
  'nowPlaying.sourceUnavailable': (c) =>
    c.failure === 'private'
      ? `Your ${c.source === 'lastfm' ? 'Last.fm' : 'ListenBrainz'} listening is private, so I can’t see what you’re playing. Make it public there, then try again.`
      : `${c.source === 'lastfm' ? 'Last.fm' : 'ListenBrainz'} isn’t answering right now. Please try again in a few minutes.`,
  'link.dmOnlyInServer': () => 'Please use this command in a server.',
  'import.linkExpired': () =>
    'This upload link has expired or was already used. Links from /import last ten minutes and work once: run **/import** in Discord to get a fresh one.',
  'import.rateLimited': (c) => `You’ve asked for several upload links already. Try again ${at(c.retryAt)}.`,
  'import.alreadyUploading': () =>
    'You already have an upload under way. Wait for it to finish (its page shows the result), then try again.',
  'import.busy': () => 'Encore is busy with other members’ uploads right now. Try again in a few minutes.',
  'import.tooLarge': (c) =>
    `That upload is too large (the limit is ${String(c.limitMb ?? '?')} MB). Nothing was imported. Upload only the streaming history files of your export.`,
  'import.uploadInterrupted': () =>
    'The upload was interrupted, so nothing was imported. Try again from the same page: the link still works for ten minutes.',
  'import.notAnExport': () =>
    'That isn’t a Spotify data export: upload the zip Spotify emailed you, or the Streaming_History_Audio_*.json / StreamingHistory_music_*.json files inside it. Nothing was imported.',
  'import.noHistory': () =>
    'There is no streaming history in that upload (no Streaming_History_Audio_*.json or StreamingHistory_music_*.json file). Nothing was imported. Request “Extended streaming history” or “Account data” on Spotify’s privacy page.',
  'import.malformedJson': (c) =>
    c.notAList
      ? `${String(c.file)} isn’t a list of plays, so it isn’t a Spotify streaming history file. Nothing was imported.`
      : `${String(c.file)} is damaged: it isn’t valid JSON${typeof c.line === 'number' ? ` (line ${String(c.line)}, column ${String(c.column)})` : ''}. Nothing was imported. Download your export again from Spotify and upload the original file.`,
  'import.zipBomb': () =>
    'That zip unpacks to far more than a Spotify export ever does (too many files, or too many bytes), so I didn’t open it. Nothing was imported.',
  'import.fileTooLarge': (c) =>
    `${String(c.file)} is larger than any Spotify streaming history file (over ${String(c.limitMb ?? '?')} MB), so I didn’t read it. Nothing was imported.`,
  'import.tooManyFiles': (c) =>
    `That upload holds more files than a Spotify export ever does (over ${String(c.limit ?? 'the limit')}), so I didn’t read it. Nothing was imported.`,
  'import.tooManyPlays': (c) =>
    `That upload holds more plays than anyone could have listened to (over ${typeof c.limit === 'number' ? c.limit.toLocaleString('en-US') : 'the limit'}), so I stopped reading it. Nothing was imported.`,
  'digest.missingPermissions': (c) =>
    `I can’t post the digest there: I’m missing ${(c.missing as string[] | undefined)?.map((p) => `**${p}**`).join(', ') ?? 'permissions'} in that channel. Give Encore those permissions (channel settings → Permissions) or pick another channel.`,
  'digest.unknownChannel': () => 'I can’t see that channel. Pick a text channel of this server that Encore can view.',
  'digest.unknownTimeZone': (c) =>
    `**${String(c.input ?? 'That')}** isn’t a time zone I know. Pick one from the list as you type (a city, like Europe/Berlin or America/New_York).`,
  'digest.badHour': () => 'The hour is a whole number from 0 to 23 (local time).',
  'digest.badAccent': (c) =>
    `**${String(c.input ?? 'That')}** isn’t a colour I can use. Give six hex digits, like **#1DB954**, or **default** for Encore’s own colour. Nothing was changed.`,
  'digest.noChannel': () => 'Pick a channel first with **/digest channel**, then turn the digest on.',
  'wrapped.nothing': (c) =>
    `Encore has no plays of yours for ${c.period === 'all' ? 'any time yet' : c.period === 'year' ? 'the past year' : c.period === 'month' ? 'the past 30 days' : 'the past 7 days'}. It collects them as you listen (or bring your past with **/import**).`,
  'digest.serverOnly': () => 'The digest belongs to a server: use **/digest** in the server.',
  'serverYear.yearOnly': () =>
    'The server’s view is its year: use **/wrapped scope:server period:year** (the weekly digest has its week).',
  'serverYear.serverOnly': () => 'The server’s year belongs to a server: use **/wrapped scope:server** in the server.',
  'suggest.answerGone': () => 'Those suggestions have expired. Run **/suggest** again for fresh ones.',
  'suggest.genreMissing': () => 'Pick a genre in the **genre** option (start typing: yours come first).',
  'suggest.unknownGenre': (c) =>
    `**${String(c.input ?? 'That')}** isn’t a genre I know. Pick one from the list as you type.`,
  'serverPlaylist.ownedByOther': (c) =>
    `This server’s playlist is already on, in the Spotify account of <@${String(c.ownerId)}>. They can turn it off with **/digest playlist**, then you can turn it on in yours.`,
  'social.serverOnly': () => 'That belongs to a server: use it in the server, not in DMs.',
  'social.unknownItem': (c) =>
    `Nobody here has played ${/^[aeiou]/i.test(String(c.kind ?? 'thing')) ? 'an' : 'a'} ${String(c.kind ?? 'thing')} called **${String(c.name ?? '?')}** that I know of. Pick one from the list as you type.`,
  // A pick that finds nothing here: its value is an internal key, so it is not echoed back.
  'social.unknownPick': (c) =>
    `Nobody here has played that ${String(c.kind ?? 'thing')} that I know of. Pick one from the list as you type.`,
  'social.youAreHidden': () =>
    'You don’t share your listening in this server yet, so there is nothing of yours to show. Turn it on with **/privacy** (only this server).',
  'social.notOptedIn': () => 'That member doesn’t share their listening in this server, so there is nothing to show.',
  'social.thresholdAdminsOnly': () => 'Only members with **Manage Server** can change the crown threshold.',
  'social.serverChartKind': () =>
    'A server chart is top genres, top artists or the listening clock: pick one of those with **scope: server**.',
  'social.compatSelf': () => 'Pick someone else: you are perfectly compatible with yourself.',
  'social.compatNoHistory': (c) =>
    c.whose === 'yours'
      ? 'Encore has no listening of yours to compare yet. It collects it as you listen (or bring your past with **/import**).'
      : 'Encore has no listening of theirs to compare yet.',
  'social.badThreshold': (c) => `The crown threshold is a whole number of plays from 1 to ${String(c.max ?? 100000)}.`,
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
