import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import type { ImportProgress } from '../../src/app/history/importHistory.js';
import { progressLines } from '../../src/http/history/progressLines.js';
import { aMemberId } from '../linking/factories.js';
import { useTestStore } from '../support/database.js';
import { waitUntil } from '../support/waitUntil.js';
import { onePlay, rawUpload, startUploadServer } from './uploadWorld.js';

const store = useTestStore();
let world: Awaited<ReturnType<typeof startUploadServer>> | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

/** A writable whose socket is backed up until the test says it drained. */
class SlowSink extends EventEmitter {
  written: string[] = [];
  full = true;
  write(chunk: string) {
    this.written.push(chunk);
    return !this.full;
  }
  drain() {
    this.full = false;
    this.emit('drain');
  }
}

describe('progress lines respect back-pressure', () => {
  it('while the socket is backed up, only the newest progress line waits; the final line is always written', () => {
    const sink = new SlowSink();
    const out = progressLines(sink);
    for (let plays = 1; plays <= 1_000; plays++) out.progress({ progress: { plays } });
    expect(sink.written).toEqual([`{"progress":{"plays":1}}\n`]);
    sink.full = false;
    sink.drain();
    expect(sink.written.at(-1)).toBe(`{"progress":{"plays":1000}}\n`);
    expect(sink.written).toHaveLength(2);
    out.progress({ progress: { plays: 1_001 } });
    expect(sink.written).toHaveLength(3);

    sink.full = true;
    out.progress({ progress: { plays: 1_002 } });
    out.progress({ progress: { plays: 1_003 } });
    out.final({ done: { imported: 1_003 } });
    expect(sink.written.slice(3)).toEqual([`{"progress":{"plays":1002}}\n`, `{"done":{"imported":1003}}\n`]);
    sink.drain(); // what waited is dropped: the result is already on its way
    out.progress({ progress: { plays: 1_004 } });
    expect(sink.written).toHaveLength(5);
  });

  it('a client that uploads and then stops reading leaves a bounded answer buffered, and still gets the result line queued', async () => {
    const PROGRESS = 200_000;
    let buffered = Infinity;
    let emitted = 0;
    const w = await startUploadServer(store(), {
      async run(_member, _entries, onProgress) {
        const file = `Streaming_History_Audio_${'x'.repeat(200)}.json`;
        for (let i = 1; i <= PROGRESS; i++) {
          onProgress({ stage: 'reading', file, files: i, plays: i * 10 } satisfies ImportProgress);
          emitted++;
          // Let the socket flush what it can, as a real import does between files.
          if (i % 1_000 === 0) await new Promise((resolve) => setImmediate(resolve));
        }
        buffered = w.responses.at(-1)!.writableLength;
        return { imported: 1, duplicates: 0, podcasts: 0, short: 0, files: PROGRESS };
      },
    });
    world = w;
    const body = onePlay();
    const upload = rawUpload(await w.linkFor(aMemberId()), body.length, { read: false });
    await upload.write(body);
    await waitUntil(() => emitted === PROGRESS && buffered !== Infinity, 'the import ran', 60_000);
    // About 60 MB of progress was produced; what waits in the process is at most a socket's
    // high-water mark and a line or two.
    expect(buffered).toBeLessThan(256 * 1024);
    upload.socket.destroy();
  }, 60_000);
});
