import type { RecordedMessage } from '../../emulators/discord/index.js';

/** What end-to-end tests read in the messages a member sees. */

interface AnyComponent {
  type: number;
  components?: AnyComponent[];
  accessory?: AnyComponent;
  content?: string;
  items?: Array<{ media: { url: string }; description?: string }>;
  custom_id?: string;
  label?: string;
  url?: string;
  options?: Array<{ value: string; label: string }>;
  disabled?: boolean;
}

/** Every component of a message, nested ones too (a container's, a section's accessory), in reading order. */
export function allComponents(m?: { components?: readonly unknown[] }): AnyComponent[] {
  const out: AnyComponent[] = [];
  const visit = (c: AnyComponent) => {
    out.push(c);
    for (const child of c.components ?? []) visit(child);
    if (c.accessory) visit(c.accessory);
  };
  for (const c of (m?.components ?? []) as AnyComponent[]) visit(c);
  return out;
}

/** A layout's text displays (type 10), in reading order; none for an embed message. */
export const layoutTexts = (m?: { components?: readonly unknown[] }) =>
  allComponents(m)
    .filter((c) => c.type === 10)
    .map((c) => c.content ?? '');

/** A layout's media gallery items (type 12): the image each shows and its alt text. */
export const galleryItems = (m?: { components?: readonly unknown[] }) =>
  allComponents(m).flatMap((c) =>
    c.type === 12 ? (c.items ?? []).map((i) => ({ url: i.media.url, description: i.description })) : [],
  );

/** Every button and menu (link buttons too) of a message, row after row, wherever its row sits. */
export const buttons = (m: { components?: readonly unknown[] }) =>
  allComponents(m).filter((c) => c.type === 2 || (c.type >= 3 && c.type <= 8)) as Array<{
    custom_id?: string;
    label?: string;
    url?: string;
  }>;

/**
 * A message's embeds, then a layout's text displays, as one string for `toContain`: what the
 * member reads, whichever of the two the message is made of.
 */
export const text = (m?: RecordedMessage) => JSON.stringify([...(m?.embeds ?? []), ...layoutTexts(m)]);

/** A message's content, embeds and (a layout's) text displays as one string, for `toContain`. */
export const contentAndEmbeds = (m?: RecordedMessage) => {
  const layout = layoutTexts(m);
  return JSON.stringify(
    layout.length ? [m?.content ?? '', m?.embeds ?? [], layout] : [m?.content ?? '', m?.embeds ?? []],
  );
};

/** The URL of a message's first link button (the link DM's "Link Spotify", a relink nudge's). */
export const linkUrl = (m: RecordedMessage) => buttons(m).find((b) => b.url)!.url!;
