import {
  startDiscordEmulator,
  type DiscordEmulator,
  type EInteraction,
  type EUser,
  type RecordedMessage,
  type ShownModal,
} from '../../emulators/discord/index.js';
import { startDiscord, type RunningDiscord } from '../../src/discord/start.js';
import type { Services } from '../../src/app/services.js';
import { createPersonalDataRegistry } from '../../src/app/accounts/personalData.js';
import type { RouterHooks } from '../../src/discord/router.js';
import type { Logger } from '../../src/log.js';
import { captureLogger } from './logger.js';

export interface InvokeWhere {
  dm?: boolean;
  privateChannel?: boolean;
  guild?: ReturnType<DiscordEmulator['addGuild']>;
  install?: 'guild' | 'user';
}

/** What a member sees after an interaction settled. */
export interface Seen {
  interaction: EInteraction;
  ephemeral: boolean;
  deferred: boolean;
  /** The reply as it stands at the end (after all edits). */
  final?: RecordedMessage;
  /** Every state of the reply, in order (defer, progress edits, final). */
  history: RecordedMessage[];
  followUps: RecordedMessage[];
  rejected: Array<{ status: number; code: number }>;
  choices?: Array<{ name: string; value: string | number }>;
  /** The modal the bot answered with, open on the member's screen until they submit it. */
  modal?: ShownModal;
}

export interface BotHarness {
  emulator: DiscordEmulator;
  discord: RunningDiscord;
  guild: ReturnType<DiscordEmulator['addGuild']>;
  member(name: string, options?: { dmsClosed?: boolean }): EUser;
  /**
   * Runs a slash command as `as` in the harness's server, another `guild`, the bot's DM (`dm`) or a
   * group DM (`privateChannel`); `install: 'user'` goes through the member's own install. Rejects
   * where Discord would not offer the command (see the emulator's chatInput).
   */
  invoke(command: string, options?: Record<string, unknown>, as?: EUser, where?: InvokeWhere): Promise<Seen>;
  autocomplete(command: string, options: Record<string, unknown>, focused: string, as?: EUser): Promise<Seen>;
  click(message: RecordedMessage, customId: string, as?: EUser, values?: string[]): Promise<Seen>;
  /** The modal open on the member's screen, if the bot showed them one they have not submitted. */
  modalOf(as?: EUser): ShownModal | undefined;
  /** The member fills in their open modal (fields left out keep their pre-filled text) and submits it. */
  submitModal(values: Record<string, string>, as?: EUser): Promise<Seen>;
  dmsOf(user: EUser): RecordedMessage[];
  log: ReturnType<typeof captureLogger>;
  close(): Promise<void>;
}

/**
 * The real bot (discord.js and the router) logged into the in-repo Discord emulator, in-process,
 * with the commands registered as `npm run deploy-commands` would. Waits for each interaction to
 * be fully handled before returning what the member saw.
 */
export interface HarnessOptions {
  services?: (log: Logger) => Services;
  commandsDir?: string;
  /** Starts the bot some other way (the whole of Encore); gets the emulator and the settle hooks. */
  startBot?: (
    emulator: DiscordEmulator,
    hooks: RouterHooks,
    log: Logger,
  ) => Promise<{ discord: RunningDiscord; close(): Promise<void> }>;
  /** Discord's clock (the 3-second deadline, token lifetimes); a test moves it to play slowness. */
  discordNow?: () => number;
}

export async function startBotHarness(options: HarnessOptions = {}): Promise<BotHarness> {
  const emulator = await startDiscordEmulator({ now: options.discordNow });
  const guild = emulator.addGuild('Encore test server', ['general', 'digest']);
  const defaultMember = emulator.addMember(guild, 'alice');
  const log = captureLogger('debug');
  const settled = new Map<string, () => void>();
  const done = new Set<string>();
  const hooks: RouterHooks = {
    onSettled(id) {
      done.add(id);
      settled.get(id)?.();
    },
  };
  const started = options.startBot
    ? await options.startBot(emulator, hooks, log.log)
    : await startDiscord({
        token: emulator.token,
        apiUrl: emulator.apiUrl,
        services: options.services?.(log.log) ?? {
          log: log.log,
          publicUrl: 'http://127.0.0.1:3000',
          personalData: createPersonalDataRegistry(),
        },
        log: log.log,
        commandsDir: options.commandsDir,
        hooks,
      }).then((discord) => ({ discord, close: () => discord.stop() }));
  const { discord } = started;
  await discord.client.rest.put(`/applications/${emulator.applicationId}/guilds/${guild.id}/commands`, {
    body: [...discord.commands.values()].map((c) => c.data.toJSON()),
  });

  const waitFor = (interaction: EInteraction) =>
    new Promise<Seen>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`interaction ${interaction.id} was not handled within 30 s`)),
        30_000,
      );
      const finish = () => {
        clearTimeout(timer);
        // A withdrawn public reply leaves the member only the private follow-up: that is the answer they see.
        const replacement = interaction.originalDeleted ? interaction.followUps.at(-1) : undefined;
        resolve({
          interaction,
          ephemeral: replacement ? (replacement.flags & 64) !== 0 : interaction.ephemeral,
          deferred: interaction.deferred,
          final: replacement ?? (interaction.original && emulator.state.messages.get(interaction.original.id)),
          history: interaction.history,
          followUps: interaction.followUps,
          rejected: emulator.state.rejected
            .filter((r) => r.interactionId === interaction.id)
            .map(({ status, code }) => ({ status, code })),
          choices: interaction.autocompleteChoices,
          modal: interaction.modal,
        });
      };
      if (done.has(interaction.id)) finish();
      else settled.set(interaction.id, finish);
    });

  return {
    emulator,
    discord,
    guild,
    log,
    member: (name, memberOptions) => emulator.addMember(guild, name, memberOptions),
    invoke: async (command, values = {}, as = defaultMember, where = {}) => {
      const place = where.dm || where.privateChannel ? {} : { guild: where.guild ?? guild };
      const how = { install: where.install, privateChannel: where.privateChannel };
      return waitFor(emulator.chatInput(command.replace(/^\//, ''), values, as, { ...place, ...how }));
    },
    autocomplete: (command, values, focused, as = defaultMember) =>
      waitFor(emulator.autocomplete(command.replace(/^\//, ''), values, focused, as, { guild })),
    click: (message, customId, as = defaultMember, values) =>
      waitFor(emulator.component(message, customId, as, values)),
    modalOf: (as = defaultMember) => emulator.openModal(as)?.modal,
    submitModal: (values, as = defaultMember) => waitFor(emulator.modalSubmit(values, as)),
    dmsOf: (user) => emulator.dmsOf(user),
    async close() {
      await started.close();
      await emulator.close();
    },
  };
}
