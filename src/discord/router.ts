import { randomBytes } from 'node:crypto';
import { MessageFlags, type AutocompleteInteraction, type Interaction, type RepliableInteraction } from 'discord.js';
import { UserError } from '../core/errors.js';
import { decodeComponentId } from './customId.js';
import type { Logger } from '../log.js';
import { firstMissing, needsOf, requireServices, type Command, type CommandContext } from './command.js';
import { errorMessage, unexpectedErrorText } from './messages/generalMessages.js';
import { userErrorMessage } from './userErrorMessages.js';
import { answersPrivately, keepAnswersPrivate } from './installContext.js';

/** Autocomplete has 3 s and can't be deferred: answer with what we have by then. */
const AUTOCOMPLETE_BUDGET_MS = 2_500;

/** A button or menu on a component layout: an embed cannot replace it (Discord keeps the layout flag), so errors follow up. */
const editsLayout = (interaction: RepliableInteraction) =>
  interaction.isMessageComponent() && interaction.message.flags.has(MessageFlags.IsComponentsV2);

export interface RouterHooks {
  /** Called when an interaction's handling has finished, however it ended (tests wait on it). */
  onSettled?(interactionId: string): void;
}

/**
 * The one error boundary for every interaction. Expected failures (UserError) become a friendly
 * ephemeral message from one table; anything else is logged with a short reference the member
 * can quote, and never shows a stack trace. It knows whether the interaction was already
 * deferred or answered and replies, edits or follows up accordingly.
 */
export async function renderError(interaction: RepliableInteraction, error: unknown, log: Logger): Promise<void> {
  let text: string;
  if (error instanceof UserError) {
    text = userErrorMessage(error);
    log.info({ id: error.id, interaction: interaction.id }, 'user error');
  } else {
    const reference = randomBytes(4).toString('hex');
    log.error({ err: error, reference, interaction: interaction.id }, 'interaction failed');
    text = unexpectedErrorText(reference);
  }
  const message = errorMessage(text);
  try {
    // A refusal never goes to the channel: a public "thinking…" is withdrawn and the words go to the member alone.
    if (
      error instanceof UserError &&
      interaction.isChatInputCommand() &&
      interaction.deferred &&
      !interaction.ephemeral
    ) {
      await interaction.deleteReply().catch(() => undefined);
      await interaction.followUp({ ...message, flags: MessageFlags.Ephemeral });
    } else if (interaction.deferred && !interaction.replied && !editsLayout(interaction))
      await interaction.editReply({ content: '', ...message, components: [], files: [] });
    else if (interaction.replied || interaction.deferred)
      await interaction.followUp({ ...message, flags: MessageFlags.Ephemeral });
    else await interaction.reply({ ...message, flags: MessageFlags.Ephemeral });
  } catch (renderFailure) {
    log.warn({ err: renderFailure, interaction: interaction.id }, 'could not tell the member about an error');
  }
}

export function createInteractionRouter(ctx: CommandContext, hooks: RouterHooks = {}) {
  const { commands, log } = ctx;
  return async function route(interaction: Interaction): Promise<void> {
    try {
      if (interaction.isAutocomplete()) {
        const command = commands.get(interaction.commandName);
        // A feature that isn't set up has nothing to offer: the command itself will say so.
        if (command && firstMissing(ctx.services, needsOf(command, interaction)))
          return void (await respondEmpty(interaction, log));
        const timeout = new Promise<Array<{ name: string; value: string }>>((resolve) =>
          setTimeout(() => resolve([]), AUTOCOMPLETE_BUDGET_MS).unref(),
        );
        const choices = await Promise.race([
          command
            ?.autocomplete?.(interaction, ctx)
            .catch((error: unknown) => (log.warn({ err: error }, 'autocomplete failed'), [])) ?? [],
          timeout,
        ]);
        await interaction
          .respond(choices.slice(0, 25).map((c) => ({ name: c.name.slice(0, 100), value: c.value.slice(0, 100) })))
          .catch((error: unknown) => log.warn({ err: error }, 'autocomplete answer rejected'));
        return;
      }
      if (interaction.isChatInputCommand()) {
        const command = commands.get(interaction.commandName);
        if (!command)
          return void (await renderError(
            interaction,
            new UserError('command.notConfigured', { what: `/${interaction.commandName}` }),
            log,
          ));
        try {
          requireServices(ctx.services, ...needsOf(command, interaction));
          if (answersPrivately(interaction)) keepAnswersPrivate(interaction);
          await deferIfNeeded(interaction, command);
          await command.execute(interaction, ctx);
        } catch (error) {
          await renderError(interaction, error, log.child({ command: interaction.commandName }));
        }
        return;
      }
      if (interaction.isMessageComponent() || interaction.isModalSubmit()) {
        // Buttons, menus and modals carry their owner in the same codec's command prefix.
        const owner = commands.get(decodeComponentId(interaction.customId)?.command ?? '');
        const handle = interaction.isModalSubmit()
          ? owner?.handleModal?.bind(owner, interaction, ctx)
          : owner?.handleComponent?.bind(owner, interaction, ctx);
        if (!owner || !handle) return; // a collector elsewhere may own it
        try {
          requireServices(ctx.services, ...needsOf(owner, interaction));
          await handle();
        } catch (error) {
          await renderError(interaction, error, log.child({ component: interaction.customId }));
        }
      }
    } finally {
      hooks.onSettled?.(interaction.id);
    }
  };
}

async function respondEmpty(interaction: AutocompleteInteraction, log: Logger): Promise<void> {
  await interaction.respond([]).catch((error: unknown) => log.warn({ err: error }, 'autocomplete answer rejected'));
}

async function deferIfNeeded(interaction: Parameters<Command['execute']>[0], command: Command): Promise<void> {
  if (!command.defer) return;
  await interaction.deferReply(command.defer === 'ephemeral' ? { flags: MessageFlags.Ephemeral } : {});
}
