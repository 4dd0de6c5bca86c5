import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type {
  AutocompleteInteraction,
  ChatInputCommandInteraction,
  MessageComponentInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { Logger } from '../log.js';
import type { Services } from '../app/services.js';

export interface CommandContext {
  services: Services;
  log: Logger;
  /** Every loaded command, for /help. */
  commands: ReadonlyMap<string, Command>;
}

/** One slash command: its definition and a thin execute that calls a use case and renders. */
export interface Command {
  data: { name: string; toJSON(): RESTPostAPIChatInputApplicationCommandsJSONBody };
  execute(interaction: ChatInputCommandInteraction, ctx: CommandContext): Promise<void>;
  /** Defer before execute: the answer may take longer than Discord's 3 seconds. */
  defer?: 'ephemeral' | 'public' | false;
  autocomplete?(
    interaction: AutocompleteInteraction,
    ctx: CommandContext,
  ): Promise<Array<{ name: string; value: string }>>;
  /** Buttons and menus whose customId starts with "<command name>:". */
  handleComponent?(interaction: MessageComponentInteraction, ctx: CommandContext): Promise<void>;
}

/** Loads every commands/*.ts; a file without `data` or `execute` stops start-up, naming the file. */
export async function loadCommands(dir: string): Promise<Map<string, Command>> {
  const commands = new Map<string, Command>();
  const files = (await readdir(dir))
    .filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts') && !f.endsWith('.test.ts'))
    .sort();
  for (const file of files) {
    const mod = (await import(pathToFileURL(path.join(dir, file)).href)) as Partial<Command>;
    if (!mod.data || typeof mod.data.toJSON !== 'function')
      throw new Error(`commands/${file} must export "data" (a SlashCommandBuilder)`);
    if (typeof mod.execute !== 'function') throw new Error(`commands/${file} must export an "execute" function`);
    if (commands.has(mod.data.name))
      throw new Error(`commands/${file}: a command named /${mod.data.name} already exists`);
    commands.set(mod.data.name, mod as Command);
  }
  return commands;
}

export const COMMANDS_DIR = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../commands');
