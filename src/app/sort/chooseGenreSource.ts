import { UserError } from '../../core/errors.js';
import { previewChosenNow } from './genreChoice.js';
import type { ChooseGenreSourceOutcome, GenreSource, GenreSourceWatch, SortRunner } from './ports.js';

/**
 * The member answered "now or thrifty?" for a large split: cancelled, handed to MusicBrainz (see
 * GenreSourceWatch.announceThrifty), or previewed now from Spotify.
 */
export async function chooseGenreSource(
  runner: Pick<SortRunner, 'choices' | 'jobs' | 'forMember' | 'startThrifty'>,
  choiceId: string,
  discordUserId: string,
  source: GenreSource,
  watch: GenreSourceWatch = {},
): Promise<ChooseGenreSourceOutcome> {
  const { choices } = runner;
  const choice = await choices?.get(choiceId);
  if (!choices || !choice || choice.discordUserId !== discordUserId) throw new UserError('sort.jobGone');
  if (choice.status !== 'asked')
    return { kind: 'not-startable', status: choice.status === 'thrifty' ? 'running' : choice.status };
  if (source === 'cancel') {
    await choices.save({ ...choice, status: 'cancelled' });
    return { kind: 'cancelled' };
  }
  if (source === 'thrifty') {
    // MusicBrainz was switched off since the question was asked (a restart without MUSICBRAINZ_URL).
    if (!runner.startThrifty) throw new UserError('command.notConfigured', { what: 'thrifty sorting' });
    const thrifty = { ...choice, status: 'thrifty' as const, reply: watch.reply };
    await choices.save(thrifty);
    await watch.announceThrifty?.(thrifty);
    runner.startThrifty(thrifty);
    return { kind: 'thrifty', choice: thrifty };
  }
  const preview = await previewChosenNow(choice, {
    spotify: await runner.forMember(discordUserId),
    jobs: runner.jobs,
    choices,
    onProgress: watch.onProgress,
  });
  return { kind: 'preview', preview };
}
