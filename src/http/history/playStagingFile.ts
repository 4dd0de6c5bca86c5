import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { PlayStaging } from '../../app/history/importHistory.js';
import type { ImportedPlay } from '../../core/history/exportRecords.js';

type Line = [
  playedAt: number,
  trackId: string,
  trackName: string,
  artistName: string,
  album: string | null,
  fmt: 'e' | 'a',
  ms: number,
];

/**
 * The plays an upload's files hold, one JSON line each, in a local file while the files are read:
 * the import holds no database connection and no list of plays in memory until every file has
 * been read and made sense. Removed by `dispose`.
 */
export async function playStagingFile(path: string): Promise<PlayStaging> {
  const out = createWriteStream(path, { flags: 'wx' });
  await once(out, 'open');
  let failure: Error | undefined;
  out.on('error', (error) => (failure = error));
  let closed = false;
  // Lines are written 64 KB at a time: a write per play would cost more than the play's parsing.
  let pending = '';
  const close = async () => {
    if (closed) return;
    closed = true;
    out.end(pending);
    pending = '';
    if (!out.writableFinished) await once(out, 'finish');
  };
  return {
    append(play: ImportedPlay) {
      if (failure) throw failure;
      const line: Line = [
        play.playedAt,
        play.trackId,
        play.trackName,
        play.artistName,
        play.albumName,
        play.format === 'extended' ? 'e' : 'a',
        play.msPlayed,
      ];
      pending += `${JSON.stringify(line)}\n`;
      if (pending.length < 64 * 1024) return undefined;
      const written = out.write(pending);
      pending = '';
      return written ? undefined : once(out, 'drain').then(() => undefined);
    },
    async *plays() {
      await close();
      if (failure) throw failure;
      const lines = createInterface({
        input: createReadStream(path, { highWaterMark: 256 * 1024 }),
        crlfDelay: Infinity,
      });
      for await (const text of lines) {
        const [playedAt, trackId, trackName, artistName, albumName, fmt, msPlayed] = JSON.parse(text) as Line;
        yield {
          playedAt,
          trackId,
          trackName,
          artistName,
          albumName,
          msPlayed,
          format: fmt === 'e' ? 'extended' : 'account',
        };
      }
    },
    async dispose() {
      closed = true;
      if (!out.closed) {
        const gone = once(out, 'close').catch(() => {});
        out.destroy();
        await gone;
      }
      await rm(path, { force: true });
    },
  };
}
