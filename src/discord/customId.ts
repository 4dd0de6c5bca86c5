/**
 * Component ids through one typed codec: `<command>:<action>:<field>:…`, each field checked on the
 * way in and out, so no handler splits strings by hand. Discord allows 100 characters.
 */
export interface ComponentId {
  readonly command: string;
  readonly action: string;
  readonly fields: readonly string[];
}

const PART = /^[\w-]*$/;
const MAX_LENGTH = 100;

export function encodeComponentId(command: string, action: string, ...fields: string[]): string {
  for (const part of [command, action, ...fields])
    if (!PART.test(part)) throw new RangeError(`component id part "${part}" has characters outside [\\w-]`);
  const id = [command, action, ...fields].join(':');
  if (id.length > MAX_LENGTH) throw new RangeError(`component id longer than ${MAX_LENGTH} characters: ${id}`);
  return id;
}

/** The parts of a component id, or undefined for one this codec did not make. */
export function decodeComponentId(id: string): ComponentId | undefined {
  if (id.length > MAX_LENGTH) return undefined;
  const [command, action, ...fields] = id.split(':');
  if (!command || action === undefined || ![command, action, ...fields].every((p) => PART.test(p))) return undefined;
  return { command, action, fields };
}

/** A command's component ids as named fields: `{ action, jobId, ownerId }` rather than positions. */
export interface ComponentIdCodec<A extends string, F extends string> {
  encode(id: { action: A } & Record<F, string>): string;
  /** The id's action and fields, or undefined for an id of another command, an unknown action or a wrong shape. */
  decode(customId: string): ({ action: A } & Record<F, string>) | undefined;
}

/**
 * The codec for one command's components: which actions exist and which fields each id carries,
 * in order, none of them empty unless named `optional`. A forged or malformed id decodes to
 * nothing, so a handler never guesses at its parts.
 */
export function componentIdCodec<const A extends string, const F extends string>(
  command: string,
  actions: readonly A[],
  fields: readonly F[],
  options: { optional?: readonly F[] } = {},
): ComponentIdCodec<A, F> {
  const missing = (values: readonly string[]) =>
    fields.some((name, i) => values[i] === '' && !options.optional?.includes(name));
  return {
    encode(id) {
      const values = fields.map((name) => id[name]);
      if (missing(values)) throw new RangeError(`component id of ${command}:${id.action} with an empty field`);
      return encodeComponentId(command, id.action, ...values);
    },
    decode(customId) {
      const id = decodeComponentId(customId);
      if (id?.command !== command || id.fields.length !== fields.length || missing(id.fields)) return undefined;
      const action = actions.find((a) => a === id.action);
      if (action === undefined) return undefined;
      const named = Object.fromEntries(fields.map((name, i) => [name, id.fields[i]!])) as Record<F, string>;
      return { ...named, action };
    },
  };
}
