import type { ModalTextInput } from './state.js';

/** Discord's message limits; a body over them answers 400 with code 50035 like the real API. */
export function messageProblems(body: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const content = body.content;
  if (typeof content === 'string' && content.length > 2000) problems.push('content: Must be 2000 or fewer in length.');
  const embeds = (body.embeds as Array<Record<string, unknown>> | undefined) ?? [];
  if (embeds.length > 10) problems.push('embeds: Must be 10 or fewer in length.');
  let total = 0;
  embeds.forEach((e, i) => {
    const title = String(e.title ?? '');
    const description = String(e.description ?? '');
    const fields = (e.fields as Array<{ name: string; value: string }> | undefined) ?? [];
    const footer = String((e.footer as { text?: string } | undefined)?.text ?? '');
    const author = String((e.author as { name?: string } | undefined)?.name ?? '');
    if (title.length > 256) problems.push(`embeds.${i}.title: Must be 256 or fewer in length.`);
    if (description.length > 4096) problems.push(`embeds.${i}.description: Must be 4096 or fewer in length.`);
    if (fields.length > 25) problems.push(`embeds.${i}.fields: Must be 25 or fewer in length.`);
    fields.forEach((f, j) => {
      if (String(f.name).length > 256) problems.push(`embeds.${i}.fields.${j}.name: Must be 256 or fewer in length.`);
      if (String(f.value).length > 1024)
        problems.push(`embeds.${i}.fields.${j}.value: Must be 1024 or fewer in length.`);
    });
    if (footer.length > 2048) problems.push(`embeds.${i}.footer.text: Must be 2048 or fewer in length.`);
    total +=
      title.length +
      description.length +
      footer.length +
      author.length +
      fields.reduce((s, f) => s + String(f.name).length + String(f.value).length, 0);
  });
  if (total > 6000) problems.push('embeds: Embed size exceeds maximum size of 6000');
  const rows = (body.components as Array<{ components?: unknown[] }> | undefined) ?? [];
  if (rows.length > 5) problems.push('components: Must be 5 or fewer in length.');
  return problems;
}

export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

const lengthProblem = (path: string, value: unknown, min: number, max: number, required = true): string | undefined => {
  if (value === undefined || value === null) return required ? `${path}: This field is required` : undefined;
  if (typeof value !== 'string') return `${path}: Could not interpret "${String(value)}" as string.`;
  if (value.length < min || value.length > max)
    return min === 0
      ? `${path}: Must be ${max} or fewer in length.`
      : `${path}: Must be between ${min} and ${max} in length.`;
  return undefined;
};
const intProblem = (path: string, value: unknown, min: number, max: number): string | undefined =>
  value === undefined || (Number.isInteger(value) && (value as number) >= min && (value as number) <= max)
    ? undefined
    : `${path}: Must be an integer between ${min} and ${max}.`;

/** Discord's checks on one text input; `labelled` when a Label component carries its label. */
function textInputProblems(input: Record<string, unknown>, path: string, labelled: boolean): string[] {
  const problems = [
    lengthProblem(`${path}.custom_id`, input.custom_id, 1, 100),
    labelled ? undefined : lengthProblem(`${path}.label`, input.label, 1, 45),
    input.style === 1 || input.style === 2 ? undefined : `${path}.style: Value must be one of {1, 2}.`,
    intProblem(`${path}.min_length`, input.min_length, 0, 4000),
    intProblem(`${path}.max_length`, input.max_length, 1, 4000),
    input.required === undefined || typeof input.required === 'boolean'
      ? undefined
      : `${path}.required: Must be a boolean.`,
    lengthProblem(`${path}.value`, input.value, 0, 4000, false),
    lengthProblem(`${path}.placeholder`, input.placeholder, 0, 100, false),
  ];
  if (
    typeof input.min_length === 'number' &&
    typeof input.max_length === 'number' &&
    input.min_length > input.max_length
  )
    problems.push(`${path}.min_length: Must be less than or equal to max_length.`);
  return problems.filter((p): p is string => p !== undefined);
}

/**
 * Discord's checks on a modal (interaction callback type 9): custom_id 1–100, title 1–45, 1–5
 * components, each an action row holding one text input, a Label (type 18) around one, or a text
 * display; a text input has custom_id, label 1–45, style 1|2, min/max_length within 0–4000,
 * value ≤ 4000 and placeholder ≤ 100. Returns the problems and the text inputs the member will see.
 */
export function readModal(data: Record<string, unknown>): { problems: string[]; fields: ModalTextInput[] } {
  const problems = [
    lengthProblem('data.custom_id', data.custom_id, 1, 100),
    lengthProblem('data.title', data.title, 1, 45),
  ].filter((p): p is string => p !== undefined);
  const components = data.components;
  if (!Array.isArray(components) || components.length < 1 || components.length > 5)
    return { problems: [...problems, 'data.components: Must be between 1 and 5 in length.'], fields: [] };
  const fields: ModalTextInput[] = [];
  const field = (input: Record<string, unknown>, label: unknown, description: unknown) =>
    fields.push({
      custom_id: String(input.custom_id),
      label: String(label),
      style: input.style as 1 | 2,
      required: input.required !== false,
      min_length: input.min_length as number | undefined,
      max_length: input.max_length as number | undefined,
      value: input.value as string | undefined,
      placeholder: input.placeholder as string | undefined,
      description: description as string | undefined,
    });
  (components as Array<Record<string, unknown>>).forEach((component, i) => {
    const path = `data.components.${i}`;
    if (component.type === 1) {
      const inner = (component.components as Array<Record<string, unknown>> | undefined) ?? [];
      if (inner.length !== 1 || inner[0]!.type !== 4)
        return void problems.push(
          `${path}.components: An action row in a modal holds exactly one text input (type 4).`,
        );
      const found = textInputProblems(inner[0]!, `${path}.components.0`, false);
      problems.push(...found);
      if (!found.length) field(inner[0]!, inner[0]!.label, undefined);
    } else if (component.type === 18) {
      const input = component.component as Record<string, unknown> | undefined;
      const found = [
        lengthProblem(`${path}.label`, component.label, 1, 45),
        lengthProblem(`${path}.description`, component.description, 0, 100, false),
      ].filter((p): p is string => p !== undefined);
      // Discord also takes menus and file uploads in a Label; the emulator knows text inputs only.
      if (input?.type !== 4) found.push(`${path}.component.type: The emulator supports text inputs (type 4) only.`);
      else found.push(...textInputProblems(input, `${path}.component`, true));
      problems.push(...found);
      if (!found.length) field(input!, component.label, component.description);
    } else if (component.type === 10) {
      const found = lengthProblem(`${path}.content`, component.content, 1, 4000);
      if (found) problems.push(found);
    } else problems.push(`${path}.type: Value must be one of {1, 10, 18}.`);
  });
  const ids = fields.map((f) => f.custom_id);
  if (new Set(ids).size !== ids.length) problems.push('data.components: Component custom id cannot be duplicated.');
  return { problems, fields };
}

/** Message flag 1 << 15: the message is a component layout (docs/discord-components-v2.md). */
export const IS_COMPONENTS_V2 = 1 << 15;
const LAYOUT_MAX_COMPONENTS = 40;
const LAYOUT_MAX_TEXT = 4000;
/** Discord's component types, as numbered on the wire. */
const T = {
  actionRow: 1,
  button: 2,
  section: 9,
  textDisplay: 10,
  thumbnail: 11,
  mediaGallery: 12,
  file: 13,
  separator: 14,
  container: 17,
} as const;
const TOP_LEVEL: number[] = [T.actionRow, T.section, T.textDisplay, T.mediaGallery, T.file, T.separator, T.container];
const IN_CONTAINER: number[] = [T.actionRow, T.section, T.textDisplay, T.mediaGallery, T.file, T.separator];

/** What a layout is checked against: the message as it will stand, and the files it may name. */
export interface LayoutCheck {
  flags: number;
  content: string;
  embeds: unknown[];
  components: Array<Record<string, unknown>>;
  /** File names a media URL may name as attachment://<name>. */
  fileNames: string[];
}

/**
 * Discord's checks on a component layout (IS_COMPONENTS_V2): no content or embeds beside it; at most
 * 40 components counting nested ones; 4,000 characters across all text displays; a section holds
 * 1–3 text displays and one thumbnail or button; a media gallery 1–10 items; a media URL is https
 * or attachment://<an uploaded file>. Without the flag, only action rows may stand at the top.
 */
export function layoutProblems(message: LayoutCheck): string[] {
  const problems: string[] = [];
  if (!(message.flags & IS_COMPONENTS_V2)) {
    message.components.forEach((c, i) => {
      if (c.type !== T.actionRow) problems.push(`components.${i}.type: Value of field "type" must be one of (1,).`);
    });
    return problems;
  }
  if (message.content) problems.push("content: The 'content' field cannot be used with IS_COMPONENTS_V2.");
  if (message.embeds.length) problems.push("embeds: The 'embeds' field cannot be used with IS_COMPONENTS_V2.");
  let count = 0;
  let text = 0;
  const media = (path: string, item: unknown) => {
    const url = (item as { url?: unknown } | undefined)?.url;
    if (typeof url !== 'string') return void problems.push(`${path}.url: This field is required`);
    const attached = /^attachment:\/\/(.+)$/.exec(url)?.[1];
    if (attached !== undefined) {
      if (!message.fileNames.includes(attached))
        problems.push(`${path}.url: attachment://${attached} names no file uploaded with this message.`);
    } else if (!/^https:\/\/[^\s/]+\S*$/.test(url)) problems.push(`${path}.url: Scheme must be https or attachment.`);
  };
  const description = (path: string, value: unknown) => {
    const found = lengthProblem(path, value, 0, 1024, false);
    if (found) problems.push(found);
  };
  const visit = (c: Record<string, unknown>, path: string, allowed: number[]) => {
    count++;
    const type = c.type as number;
    if (!allowed.includes(type))
      return void problems.push(`${path}.type: Value must be one of (${allowed.join(', ')}).`);
    const children = (c.components as Array<Record<string, unknown>> | undefined) ?? [];
    switch (type) {
      case T.container: {
        const accent = c.accent_color;
        if (
          accent !== undefined &&
          accent !== null &&
          !(Number.isInteger(accent) && (accent as number) >= 0 && (accent as number) <= 0xffffff)
        )
          problems.push(`${path}.accent_color: Must be between 0 and 16777215.`);
        if (!children.length) problems.push(`${path}.components: Must be 1 or more in length.`);
        children.forEach((child, i) => visit(child, `${path}.components.${i}`, IN_CONTAINER));
        break;
      }
      case T.section: {
        if (children.length < 1 || children.length > 3)
          problems.push(`${path}.components: Must be between 1 and 3 in length.`);
        children.forEach((child, i) => visit(child, `${path}.components.${i}`, [T.textDisplay]));
        const accessory = c.accessory as Record<string, unknown> | undefined;
        if (!accessory || Array.isArray(accessory)) problems.push(`${path}.accessory: This field is required`);
        else visit(accessory, `${path}.accessory`, [T.thumbnail, T.button]);
        break;
      }
      case T.textDisplay: {
        const found = lengthProblem(`${path}.content`, c.content, 1, LAYOUT_MAX_TEXT);
        if (found) problems.push(found);
        text += typeof c.content === 'string' ? c.content.length : 0;
        break;
      }
      case T.thumbnail:
        media(`${path}.media`, c.media);
        description(`${path}.description`, c.description);
        break;
      case T.mediaGallery: {
        const items = (c.items as Array<Record<string, unknown>> | undefined) ?? [];
        if (items.length < 1 || items.length > 10) problems.push(`${path}.items: Must be between 1 and 10 in length.`);
        items.forEach((item, i) => {
          media(`${path}.items.${i}.media`, item.media);
          description(`${path}.items.${i}.description`, item.description);
        });
        break;
      }
      case T.file: {
        const url = (c.file as { url?: unknown } | undefined)?.url;
        if (typeof url !== 'string' || !url.startsWith('attachment://'))
          problems.push(`${path}.file.url: Scheme must be attachment.`);
        else media(`${path}.file`, c.file);
        break;
      }
      case T.separator:
        if (c.spacing !== undefined && c.spacing !== 1 && c.spacing !== 2)
          problems.push(`${path}.spacing: Value must be one of (1, 2).`);
        break;
      case T.actionRow:
        if (children.length < 1 || children.length > 5)
          problems.push(`${path}.components: Must be between 1 and 5 in length.`);
        count += children.length;
        break;
    }
  };
  message.components.forEach((c, i) => visit(c, `components.${i}`, TOP_LEVEL));
  if (count > LAYOUT_MAX_COMPONENTS)
    problems.push(
      `components: A message holds at most ${LAYOUT_MAX_COMPONENTS} components (nested ones count); this one has ${count}.`,
    );
  if (text > LAYOUT_MAX_TEXT)
    problems.push(
      `components: The text displays hold at most ${LAYOUT_MAX_TEXT} characters in all; these hold ${text}.`,
    );
  return problems;
}
