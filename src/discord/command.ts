import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type {
  AutocompleteInteraction,
  ChatInputCommandInteraction,
  MessageComponentInteraction,
  ModalSubmitInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import { UserError } from '../core/errors.js';
import type { Logger } from '../log.js';
import type { Services } from '../app/services.js';

/** The services a bot may run without: a feature that isn't configured leaves its service out. */
export type ServiceName = { [K in keyof Services]-?: undefined extends Services[K] ? K : never }[keyof Services];

/** What one use of a command needs, and how the "not set up" answer names that use to the member. */
export interface ServiceNeeds<K extends ServiceName = ServiceName> {
  readonly what: string;
  readonly services: readonly K[];
}

/** The services once a command's needs are checked: the ones it declared are there. */
export type ServicesWith<K extends ServiceName> = Services & { [P in K]-?: NonNullable<Services[P]> };

/** Declares what a command (or one of its subcommands or scopes) needs, e.g. `serviceNeeds('server social', 'social')`. */
export const serviceNeeds = <const K extends ServiceName>(what: string, ...services: K[]): ServiceNeeds<K> => ({
  what,
  services,
});

/**
 * The one check behind every "not set up": the first declared need that is missing is refused with
 * `command.notConfigured`, which the error boundary words; otherwise the services, typed as present.
 */
export function requireServices<K extends ServiceName>(
  services: Services,
  ...declared: ReadonlyArray<ServiceNeeds<K>>
): ServicesWith<K> {
  const missing = firstMissing(services, declared);
  if (missing) throw new UserError('command.notConfigured', { what: missing.what });
  return services as ServicesWith<K>;
}

/** The first declared need with a service this bot runs without. */
export const firstMissing = (services: Services, declared: ReadonlyArray<ServiceNeeds>): ServiceNeeds | undefined =>
  declared.find((need) => need.services.some((name) => services[name] === undefined));

export type CommandInteraction =
  ChatInputCommandInteraction | AutocompleteInteraction | MessageComponentInteraction | ModalSubmitInteraction;

/** A command's needs for one interaction (none declared: it needs nothing beyond the always-present services). */
export function needsOf(command: Command, interaction: CommandInteraction): ReadonlyArray<ServiceNeeds> {
  if (!command.needs) return [];
  return typeof command.needs === 'function' ? command.needs(interaction) : [command.needs];
}

/**
 * What a command receives. `K` names the services its declared `needs` make present: the router
 * checks them before the command runs, so the command reads them without a guard.
 */
export interface CommandContext<K extends ServiceName = never> {
  services: ServicesWith<K>;
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
  /** Submits of the modals it showed, whose customId starts with "<command name>:" like its components'. */
  handleModal?(interaction: ModalSubmitInteraction, ctx: CommandContext): Promise<void>;
  /**
   * The services it needs: one declaration, or one list per interaction where a subcommand or scope
   * needs more. The router checks them once, before deferring or running anything.
   */
  needs?: ServiceNeeds | ((interaction: CommandInteraction) => ReadonlyArray<ServiceNeeds>);
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
    if (mod.needs !== undefined && typeof mod.needs !== 'function' && !isServiceNeeds(mod.needs))
      throw new Error(`commands/${file}: "needs" must come from serviceNeeds('what', ...services) or be a function`);
    if (commands.has(mod.data.name))
      throw new Error(`commands/${file}: a command named /${mod.data.name} already exists`);
    commands.set(mod.data.name, mod as Command);
  }
  return commands;
}

function isServiceNeeds(value: unknown): value is ServiceNeeds {
  const candidate = value as Partial<ServiceNeeds> | null;
  return (
    typeof candidate?.what === 'string' &&
    Array.isArray(candidate.services) &&
    candidate.services.every((name) => typeof name === 'string')
  );
}

export const COMMANDS_DIR = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../commands');
