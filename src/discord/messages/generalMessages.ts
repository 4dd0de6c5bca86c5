import { brandEmbed, ERROR_COLOUR } from '../replies.js';

/** /help: every command and what it does, from the command definitions. */
export function helpMessage(commands: ReadonlyArray<{ name: string; description: string }>) {
  const fields = [...commands]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((c) => ({ name: `/${c.name}`, value: c.description }));
  return {
    embeds: [
      brandEmbed({
        title: 'Encore',
        description: 'Your Spotify listening, in Discord. Personal answers are only visible to you.',
        fields,
        footer: 'Link your account first with /link',
      }),
    ],
  };
}

/** What the member sees when something failed: a UserError's words, or an apology with a reference. */
export function errorMessage(text: string) {
  return { embeds: [brandEmbed({ description: text, colour: ERROR_COLOUR })] };
}

/** The apology for a bug: never a stack trace, a reference the operator can find in the logs. */
export const unexpectedErrorText = (reference: string) =>
  `Something went wrong on our side. If it keeps happening, tell the bot’s operator this reference: \`${reference}\``;
