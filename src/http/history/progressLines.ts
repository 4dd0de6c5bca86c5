/** What the progress writer needs of a response: Node's writable contract. */
export interface LineSink {
  write(chunk: string): boolean;
  once(event: 'drain', listener: () => void): unknown;
}

/**
 * One JSON object per line to a client that may read slowly or not at all. Progress is only worth
 * its latest value: while the socket is backed up (`write()` returned false, until 'drain') the
 * lines in between are dropped and only the newest waits, so a client that stops reading holds at
 * most one buffered line, not every line of a long import. The final line is always written.
 */
export function progressLines(sink: LineSink) {
  let backedUp = false;
  let waiting: string | undefined;
  let finished = false;
  const send = (line: string) => {
    if (sink.write(line)) return;
    backedUp = true;
    sink.once('drain', () => {
      backedUp = false;
      const next = waiting;
      waiting = undefined;
      if (next !== undefined && !finished) send(next);
    });
  };
  return {
    progress(value: object) {
      if (finished) return;
      const line = `${JSON.stringify(value)}\n`;
      if (backedUp) waiting = line;
      else send(line);
    },
    /** The last line (the result or the error): written even when the socket is backed up. */
    final(value: object) {
      if (finished) return;
      finished = true;
      waiting = undefined;
      sink.write(`${JSON.stringify(value)}\n`);
    },
  };
}
