import type { LastfmCallbackResult } from '../../app/sources/connect.js';
import { page } from '../linking/pages.js';

/** What the member's browser shows after Last.fm sent it back. */
export function lastfmCallbackPage(result: LastfmCallbackResult): { status: number; html: string } {
  switch (result.kind) {
    case 'linked':
      return {
        status: 200,
        html: page(
          `Connected Last.fm as ${result.userName}`,
          'Your scrobbles are coming in now, your whole history first. You can close this tab and go back to Discord; I’ve sent you a DM.',
          'ok',
        ),
      };
    case 'expired':
      return {
        status: 400,
        html: page(
          'This link has expired',
          'This Last.fm link was already used or is too old. Run /link source:Last.fm in Discord to get a fresh one.',
          'problem',
        ),
      };
    case 'refused':
      return {
        status: 400,
        html: page(
          'Last.fm didn’t confirm',
          'Last.fm did not confirm that you allowed Encore (the approval was cancelled, used already or is too old). Nothing was connected. Run /link source:Last.fm in Discord and try again.',
          'problem',
        ),
      };
    case 'taken':
      return {
        status: 409,
        html: page(
          'Already connected elsewhere',
          'That Last.fm account is already connected to another Discord member. Nothing was changed. If it is yours, ask them to run /unlink.',
          'problem',
        ),
      };
    case 'unavailable':
      return {
        status: 502,
        html: page(
          'Last.fm isn’t answering',
          'Last.fm did not answer, so nothing was connected. Please run /link source:Last.fm in Discord again in a few minutes.',
          'problem',
        ),
      };
  }
}
