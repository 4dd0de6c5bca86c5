import { describe, expect, it } from 'vitest';
import { COMMANDS_DIR, loadCommands } from '../../src/discord/command.js';

const NAME = /^[-_'\p{L}\p{N}]{1,32}$/u;

interface Option {
  name: string;
  description: string;
  type: number;
  options?: Option[];
  choices?: Array<{ name: string; value: unknown }>;
}

function problems(prefix: string, options: Option[] | undefined): string[] {
  const out: string[] = [];
  if ((options?.length ?? 0) > 25) out.push(`${prefix}: more than 25 options`);
  for (const o of options ?? []) {
    const where = `${prefix} ${o.name}`;
    if (!NAME.test(o.name) || o.name !== o.name.toLowerCase()) out.push(`${where}: invalid option name`);
    if (o.description.length < 1 || o.description.length > 100)
      out.push(`${where}: description must be 1–100 characters`);
    if ((o.choices?.length ?? 0) > 25) out.push(`${where}: more than 25 choices`);
    for (const c of o.choices ?? [])
      if (c.name.length < 1 || c.name.length > 100) out.push(`${where}: choice "${c.name}" must be 1–100 characters`);
    out.push(...problems(where, o.options));
  }
  return out;
}

describe('every command in commands/', async () => {
  const commands = await loadCommands(COMMANDS_DIR);

  it('is loaded (the check below covers each file)', () => {
    expect(commands.size).toBeGreaterThan(0);
    expect(commands.has('help')).toBe(true);
  });

  it.each([...commands.keys()])("/%s is within Discord's limits", (name) => {
    const json = commands.get(name)!.data.toJSON() as unknown as Option & { name: string };
    const found: string[] = [];
    if (!NAME.test(json.name) || json.name !== json.name.toLowerCase()) found.push('invalid command name');
    if (json.description.length < 1 || json.description.length > 100)
      found.push('description must be 1–100 characters');
    found.push(...problems(`/${name}`, json.options));
    if (JSON.stringify(json).length > 8000) found.push('definition over 8,000 characters');
    expect(found).toEqual([]);
  });
});
