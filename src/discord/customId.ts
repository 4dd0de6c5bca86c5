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
