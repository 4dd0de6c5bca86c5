import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { RecordedMessage } from '../../emulators/discord/index.js';

interface LayoutPart {
  type: number;
  components?: LayoutPart[];
  accessory?: LayoutPart;
  content?: string;
  items?: Array<{ media: { url: string }; description?: string }>;
  media?: { url: string };
  description?: string;
  label?: string;
  url?: string;
  custom_id?: string;
}

/**
 * A component layout (IS_COMPONENTS_V2) as Markdown, in reading order: text displays as they are,
 * a section's cover as a link, separators as rules (a gallery's uploads show with the files).
 */
function layoutLines(parts: LayoutPart[]): string[] {
  const lines: string[] = [];
  for (const part of parts) {
    switch (part.type) {
      case 10:
        if (part.content) lines.push(part.content);
        break;
      case 14:
        lines.push('---');
        break;
      case 12:
        // Uploaded charts show below with the files (their alt text too); only outside images show here.
        for (const item of part.items ?? [])
          if (!item.media.url.startsWith('attachment://'))
            lines.push(`![${item.description ?? 'image'}](${item.media.url})`);
        break;
      case 9:
      case 17:
        lines.push(...layoutLines(part.components ?? []));
        if (part.accessory?.type === 11 && part.accessory.media)
          lines.push(`[cover: ${part.accessory.description ?? 'image'}](${part.accessory.media.url})`);
        break;
    }
  }
  return lines;
}

/** A message as Markdown: content, embeds (title, description, fields, footer), a layout's blocks, buttons, files. */
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
  const parts = message.components as unknown as LayoutPart[];
  lines.push(...layoutLines(parts));
  const buttons: LayoutPart[] = [];
  const collect = (c: LayoutPart) => {
    if (c.type === 2 || (c.type >= 3 && c.type <= 8)) buttons.push(c);
    c.components?.forEach(collect);
    if (c.accessory) collect(c.accessory);
  };
  parts.forEach(collect);
  if (buttons.length) lines.push(buttons.map((b) => `[${b.label ?? 'button'}]${b.url ? `(${b.url})` : ''}`).join(' '));
  for (const file of message.files) {
    mkdirSync(outDir, { recursive: true });
    const name = `${message.id}-${file.filename}`;
    writeFileSync(path.join(outDir, name), file.bytes);
    lines.push(`![${file.description ?? file.filename}](${name})`);
  }
  return lines.join('\n\n');
}
