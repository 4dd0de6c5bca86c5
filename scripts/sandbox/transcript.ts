import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { RecordedMessage } from '../../emulators/discord/index.js';

/** A message as Markdown: content, embeds (title, description, fields, footer), buttons, files. */
export function messageMarkdown(message: RecordedMessage, outDir: string): string {
  const lines: string[] = [];
  if (message.content) lines.push(message.content);
  for (const e of message.embeds as Array<{
    title?: string;
    description?: string;
    fields?: Array<{ name: string; value: string }>;
    footer?: { text: string };
    image?: { url: string };
  }>) {
    if (e.title) lines.push(`**${e.title}**`);
    if (e.description) lines.push(e.description);
    for (const f of e.fields ?? []) lines.push(`- *${f.name}:* ${f.value}`);
    if (e.footer?.text) lines.push(`_${e.footer.text}_`);
  }
  const buttons = (
    message.components as Array<{ components?: Array<{ label?: string; url?: string; custom_id?: string }> }>
  ).flatMap((r) => r.components ?? []);
  if (buttons.length) lines.push(buttons.map((b) => `[${b.label ?? 'button'}]${b.url ? `(${b.url})` : ''}`).join(' '));
  for (const file of message.files) {
    mkdirSync(outDir, { recursive: true });
    const name = `${message.id}-${file.filename}`;
    writeFileSync(path.join(outDir, name), file.bytes);
    lines.push(`![${file.description ?? file.filename}](${name})`);
  }
  return lines.join('\n\n');
}
