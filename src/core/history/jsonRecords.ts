/**
 * The elements of a top-level JSON array, from its bytes as they arrive: a streaming-history file
 * is read record by record, so memory is bounded by one record (at most `maxRecordBytes`) and one
 * 64 KB slice, never by the file. Pure: it takes chunks and returns parsed values.
 *
 * A small byte-level reader follows JSON's structure (containers, keys, strings, escapes, nesting
 * depth) to find where each element begins and ends; `JSON.parse` turns the elements into values.
 * Every refusal says where, as the line and column (1-based) of the whole file, the same place
 * `jsonErrorLocation` gives for `JSON.parse` of the whole text.
 */
import { jsonErrorLocation } from './exportRecords.js';

/** A Spotify record is under 2 KB: anything far larger is not one. */
export const MAX_RECORD_BYTES = 64 * 1024;

export class JsonRecordsError extends Error {
  constructor(
    readonly where: { line: number; column: number } | undefined,
    /** The file is valid JSON, but not a list. */
    readonly notAList = false,
  ) {
    super(notAList ? 'not a JSON array' : `malformed JSON${where ? ` at ${where.line}:${where.column}` : ''}`);
  }
}

/** What a container expects next. */
const enum Expect {
  /** After `[`: a value or `]`. */
  FirstValue,
  /** After `,` in an array, or `:` in an object: a value. */
  Value,
  /** After a value in an array: `,` or `]`. */
  ArrayNext,
  /** After `{`: a key or `}`. */
  FirstKey,
  /** After `,` in an object: a key. */
  Key,
  /** After a key: `:`. */
  Colon,
  /** After a value in an object: `,` or `}`. */
  ObjectNext,
}

/** The bytes of numbers, true, false and null (and of garbage JSON.parse will locate). */
const isScalar = (b: number) =>
  (b >= 0x30 && b <= 0x39) ||
  (b >= 0x61 && b <= 0x7a) ||
  (b >= 0x41 && b <= 0x5a) ||
  b === 0x2d ||
  b === 0x2b ||
  b === 0x2e;
const SCALAR = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)$/;
/** The common scalars, checked on their bytes: null, true, false, and unsigned integers without a leading zero. */
function isPlainScalar(bytes: Uint8Array, start: number, end: number): boolean {
  const first = bytes[start]!;
  const length = end - start;
  if (first >= 0x31 && first <= 0x39) {
    for (let i = start + 1; i < end; i++) if (bytes[i]! < 0x30 || bytes[i]! > 0x39) return false;
    return true;
  }
  if (first === 0x6e)
    return length === 4 && bytes[start + 1] === 0x75 && bytes[start + 2] === 0x6c && bytes[start + 3] === 0x6c;
  if (first === 0x74)
    return length === 4 && bytes[start + 1] === 0x72 && bytes[start + 2] === 0x75 && bytes[start + 3] === 0x65;
  if (first === 0x66)
    return (
      length === 5 &&
      bytes[start + 1] === 0x61 &&
      bytes[start + 2] === 0x6c &&
      bytes[start + 3] === 0x73 &&
      bytes[start + 4] === 0x65
    );
  return length === 1 && first === 0x30;
}
const isHex = (b: number) => (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x66) || (b >= 0x41 && b <= 0x46);
/** After a backslash: `"` `\` `/` b f n r t (and u, with four hex digits). */
const isEscape = (b: number) =>
  b === 0x22 || b === 0x5c || b === 0x2f || b === 0x62 || b === 0x66 || b === 0x6e || b === 0x72 || b === 0x74;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const NEWLINE = 0x0a;
/** Bytes scanned at a time: bounds how far an element can outgrow the cap before it is refused. */
const SLICE = 64 * 1024;

/**
 * A streaming reader of JSON's structure (containers, keys, strings, escapes): it refuses a
 * structural error exactly where `JSON.parse` of the whole file would, without holding the file.
 * The elements a slice completes are parsed together by one `JSON.parse`, and what it refuses is
 * mapped back onto the file's lines and columns.
 */
export class JsonArraySplitter {
  private started = false;
  private notAList = false;
  /** What each open container expects next, the outer array first. */
  private expects = new Uint8Array(64);
  /** 1 where the open container is an object. */
  private objects = new Uint8Array(64);
  private depth = 0;
  private closed = false;
  private inString = false;
  private escaped = false;
  /** Hex digits still expected after `\u`. */
  private hex = 0;
  private inScalar = false;
  private line = 1;
  /** Characters (not bytes) read on the current line. */
  private column = 0;
  private bom = 0;
  /** The start of the element being read, from earlier slices. */
  private spill = new Uint8Array(0);
  private spillLength = 0;
  private inElement = false;
  private elementLine = 1;
  private elementColumn = 1;
  private readonly decoder = new TextDecoder('utf-8');

  constructor(private readonly maxRecordBytes = MAX_RECORD_BYTES) {}

  /** The elements completed by this chunk, in order. */
  push(chunk: Uint8Array): unknown[] {
    const out: unknown[] = [];
    let from = 0;
    while (this.bom < 3 && !this.started && from < chunk.length) {
      // A byte-order mark, possibly split across chunks.
      if (chunk[from] !== [0xef, 0xbb, 0xbf][this.bom]) {
        if (this.bom > 0) throw this.error();
        this.bom = 3;
        break;
      }
      this.bom++;
      from++;
    }
    for (let at = from; at < chunk.length; at += SLICE)
      this.slice(chunk.subarray(at, Math.min(at + SLICE, chunk.length)), out);
    return out;
  }

  /** The end of the file: where it stops making sense, if it does. */
  end(): unknown[] {
    if (this.notAList) {
      const text = this.decoder.decode(this.spill.subarray(0, this.spillLength));
      try {
        JSON.parse(text);
      } catch (error) {
        throw this.located(text, error, this.elementLine, this.elementColumn, 0);
      }
      throw new JsonRecordsError(undefined, true);
    }
    if (this.inScalar && this.scalarHead !== undefined) this.checkScalar(new Uint8Array(0), 0, 0, this.line, 0);
    if (!this.closed) throw this.error();
    return [];
  }

  private slice(bytes: Uint8Array, out: unknown[]) {
    const n = bytes.length;
    if (this.notAList) return this.keep(bytes, 0, n);
    // The state, in locals for the loop (written back below, and before any refusal).
    let line = this.line;
    let column = this.column;
    let depth = this.depth;
    let inString = this.inString;
    let escaped = this.escaped;
    let hex = this.hex;
    let inScalar = this.inScalar;
    let expects = this.expects;
    let objects = this.objects;
    const fail = (at: number): never => {
      this.line = line;
      this.column = at - 1;
      throw this.error();
    };
    // Elements completed in this slice, parsed together: from `batchStart` to `batchEnd`.
    let batchStart = -1;
    let batchEnd = -1;
    let batchLine = 0;
    let batchColumn = 0;
    // Where the element being read started in this slice (-1: in an earlier one).
    let elementStart = -1;
    let scalarStart = 0;
    let scalarColumn = 0;
    const complete = (end: number) => {
      this.inElement = false;
      if (elementStart < 0) return this.whole(bytes, end, out);
      if (end - elementStart > this.maxRecordBytes) this.tooLarge();
      if (batchStart < 0) {
        batchStart = elementStart;
        batchLine = this.elementLine;
        batchColumn = this.elementColumn;
      }
      batchEnd = end;
    };
    let i = 0;
    for (; i < n; i++) {
      let b = bytes[i]!;
      if (inString) {
        if (hex > 0) {
          if (!isHex(b)) fail(column + 1);
          hex--;
        } else if (escaped) {
          if (b === 0x75) hex = 4;
          else if (!isEscape(b)) fail(column + 1);
          escaped = false;
        } else {
          // The plain bytes of a string, fast.
          while (b !== QUOTE && b !== BACKSLASH && b >= 0x20) {
            if ((b & 0xc0) !== 0x80) column++;
            if (++i === n) break;
            b = bytes[i]!;
          }
          if (i === n) break;
          if (b < 0x20) fail(column + 1);
          if (b === BACKSLASH) escaped = true;
          else {
            inString = false;
            const top = depth - 1;
            if (expects[top] === Expect.FirstKey || expects[top] === Expect.Key) expects[top] = Expect.Colon;
            else {
              expects[top] = objects[top] ? Expect.ObjectNext : Expect.ArrayNext;
              if (top === 0) {
                complete(i + 1);
              }
            }
          }
        }
        column++;
        continue;
      }
      if (inScalar) {
        if (isScalar(b)) {
          column++;
          continue;
        }
        inScalar = false;
        this.checkScalar(bytes, scalarStart, i, line, scalarColumn);
        const top = depth - 1;
        expects[top] = objects[top] ? Expect.ObjectNext : Expect.ArrayNext;
        if (top === 0) {
          complete(i);
        }
      }
      if (b === NEWLINE) {
        line++;
        column = 0;
        continue;
      }
      if (b === 0x20 || b === 0x0d || b === 0x09) {
        column++;
        continue;
      }
      if (!this.started) {
        this.started = true;
        if (b !== OPEN_ARRAY) {
          this.notAList = true;
          this.elementLine = line;
          this.elementColumn = column + 1;
          this.line = line;
          this.column = column + 1;
          this.keep(bytes, i, n);
          return;
        }
        expects[0] = Expect.FirstValue;
        objects[0] = 0;
        depth = 1;
        column++;
        continue;
      }
      if (depth === 0) fail(column + 1);
      const top = depth - 1;
      const expect = expects[top]!;
      let close = false;
      if (expect === Expect.ArrayNext) {
        if (b === COMMA) expects[top] = Expect.Value;
        else if (b === CLOSE_ARRAY) close = true;
        else fail(column + 1);
      } else if (expect === Expect.ObjectNext) {
        if (b === COMMA) expects[top] = Expect.Key;
        else if (b === CLOSE_OBJECT) close = true;
        else fail(column + 1);
      } else if (expect === Expect.Colon) {
        if (b === COLON) expects[top] = Expect.Value;
        else fail(column + 1);
      } else if (expect === Expect.FirstKey || expect === Expect.Key) {
        if (b === CLOSE_OBJECT && expect === Expect.FirstKey) close = true;
        else if (b === QUOTE) inString = true;
        else fail(column + 1);
      } else if (b === CLOSE_ARRAY && expect === Expect.FirstValue) close = true;
      else {
        // A value starts.
        if (depth === 1) {
          this.inElement = true;
          elementStart = i;
          this.elementLine = line;
          this.elementColumn = column + 1;
        }
        if (b === QUOTE) inString = true;
        else if (b === OPEN_OBJECT || b === OPEN_ARRAY) {
          if (depth === expects.length) {
            this.grow();
            expects = this.expects;
            objects = this.objects;
          }
          expects[depth] = b === OPEN_OBJECT ? Expect.FirstKey : Expect.FirstValue;
          objects[depth] = b === OPEN_OBJECT ? 1 : 0;
          depth++;
        } else if (isScalar(b)) {
          inScalar = true;
          scalarStart = i;
          scalarColumn = column + 1;
        } else fail(column + 1);
      }
      column++;
      if (close) {
        depth--;
        if (depth === 0) this.closed = true;
        else {
          const up = depth - 1;
          expects[up] = objects[up] ? Expect.ObjectNext : Expect.ArrayNext;
          if (up === 0) {
            complete(i + 1);
          }
        }
      }
    }
    this.line = line;
    this.column = column;
    this.depth = depth;
    this.inString = inString;
    this.escaped = escaped;
    this.hex = hex;
    this.inScalar = inScalar;
    if (batchStart >= 0) {
      const text = this.decoder.decode(bytes.subarray(batchStart, batchEnd));
      let values: unknown[];
      try {
        values = JSON.parse(`[${text}]`) as unknown[];
      } catch (error) {
        throw this.located(text, error, batchLine, batchColumn, 1);
      }
      for (const value of values) out.push(value);
    }
    if (inScalar) {
      // A number cut by the slice: its beginning waits for its end.
      if (this.scalarHead === undefined) this.scalarColumn = scalarColumn;
      this.scalarHead =
        (this.scalarHead ?? '') +
        this.decoder.decode(bytes.subarray(this.scalarHead === undefined ? scalarStart : 0, n));
    }
    if (this.inElement) {
      this.keep(bytes, elementStart >= 0 ? elementStart : 0, n);
      if (this.spillLength > this.maxRecordBytes) this.tooLarge();
    }
  }

  /** An element that started in an earlier slice ends at `end`: parsed alone, with its beginning. */
  private whole(bytes: Uint8Array, end: number, out: unknown[]) {
    this.keep(bytes, 0, end);
    if (this.spillLength > this.maxRecordBytes) this.tooLarge();
    const text = this.decoder.decode(this.spill.subarray(0, this.spillLength));
    this.spillLength = 0;
    if (this.spill.length > 4096) this.spill = new Uint8Array(0);
    try {
      out.push(JSON.parse(text));
    } catch (error) {
      throw this.located(text, error, this.elementLine, this.elementColumn, 0);
    }
  }

  /** The beginning of a number cut by a slice, and its column. */
  private scalarHead: string | undefined;
  private scalarColumn = 0;

  /** A number or literal, checked as it ends: JSON.parse says where it stops making sense. */
  private checkScalar(bytes: Uint8Array, start: number, end: number, line: number, column: number) {
    let token: string;
    if (this.scalarHead !== undefined) {
      token = this.scalarHead + this.decoder.decode(bytes.subarray(0, end));
      column = this.scalarColumn;
      this.scalarHead = undefined;
    } else {
      if (isPlainScalar(bytes, start, end)) return;
      token = this.decoder.decode(bytes.subarray(start, end));
    }
    if (SCALAR.test(token)) return;
    let offset = 0;
    try {
      JSON.parse(token);
    } catch (error) {
      const at = /position (\d+)/.exec(error instanceof Error ? error.message : '');
      offset = at ? Number(at[1]) : /end of JSON input|Unexpected end/i.test(String(error)) ? token.length : 0;
    }
    throw new JsonRecordsError({ line, column: column + Math.min(offset, token.length) });
  }

  /** Appends bytes to the element's beginning. */
  private keep(bytes: Uint8Array, from: number, to: number) {
    const need = this.spillLength + (to - from);
    if (need > this.maxRecordBytes + SLICE) {
      if (this.notAList) throw new JsonRecordsError(undefined, true);
      this.tooLarge();
    }
    if (need > this.spill.length) {
      const bigger = new Uint8Array(Math.max(need, this.spill.length * 2, 1024));
      bigger.set(this.spill.subarray(0, this.spillLength));
      this.spill = bigger;
    }
    this.spill.set(bytes.subarray(from, to), this.spillLength);
    this.spillLength = need;
  }

  private grow() {
    if (this.expects.length > this.maxRecordBytes) this.tooLarge();
    const expects = new Uint8Array(this.expects.length * 2);
    expects.set(this.expects);
    this.expects = expects;
    const objects = new Uint8Array(this.objects.length * 2);
    objects.set(this.objects);
    this.objects = objects;
  }

  private tooLarge(): never {
    throw new JsonRecordsError({ line: this.elementLine, column: this.elementColumn });
  }

  /** A JSON.parse error in `text` (which starts at line/column of the file), on the file. */
  private located(text: string, error: unknown, line: number, column: number, shift: number): JsonRecordsError {
    const message = error instanceof Error ? error.message : '';
    const position = /position (\d+)/.exec(message);
    const at = position
      ? jsonErrorLocation(text, `position ${Math.max(0, Number(position[1]) - shift)}`)
      : jsonErrorLocation(text, message);
    if (!at) return new JsonRecordsError({ line, column });
    return new JsonRecordsError({
      line: line + at.line - 1,
      column: at.line === 1 ? column + at.column - 1 : at.column,
    });
  }

  /** Where the byte being read is. */
  private error(): JsonRecordsError {
    return new JsonRecordsError({ line: this.line, column: this.column + 1 });
  }
}

/** The elements of a top-level JSON array held in these chunks, a batch at a time, in order. */
export async function* jsonArrayBatches(
  chunks: AsyncIterable<Uint8Array>,
  maxRecordBytes = MAX_RECORD_BYTES,
): AsyncGenerator<unknown[]> {
  const splitter = new JsonArraySplitter(maxRecordBytes);
  for await (const chunk of chunks) {
    const batch = splitter.push(chunk);
    if (batch.length) yield batch;
  }
  splitter.end();
}
