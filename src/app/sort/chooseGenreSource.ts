import { UserError } from '../../core/errors.js';
import { previewChosenNow, type SplitGenreChoice } from './genreChoice.js';
import type { InteractionReplyRef, SortRunner } from './ports.js';
import type { PreviewProgress, SplitPreview } from './previewSplit.js';
import type { NotStartable } from './startable.js';

/** Find a large split's genres now (Spotify's quota), thriftily (MusicBrainz, later), or not at all. */
export type GenreSource = 'now' | 'thrifty' | 'cancel';

export type ChooseGenreSourceOutcome =
  | NotStartable
  | { kind: 'cancelled' }
  /** MusicBrainz is at work: the preview comes later, on the member's message or by DM. */
  | { kind: 'thrifty'; choice: SplitGenreChoice }
  | { kind: 'preview'; preview: SplitPreview };

/**
 * The member answered "now or thrifty?" for a large split. `announceThrifty` shows that the thrifty
 * way started before its run begins, so a quick preview can never be overwritten by that notice.
 */
export async function chooseGenreSource(
  runner: Pick<SortRunner, 'choices' | 'jobs' | 'forMember' | 'startThrifty'>,
  choiceId: string,
  discordUserId: string,
  source: GenreSource,
  watch: {
    reply?: InteractionReplyRef;
    onProgress?: (progress: PreviewProgress) => void;
    announceThrifty?: (choice: SplitGenreChoice) => Promise<void>;
  } = {},
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
