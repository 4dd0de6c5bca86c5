import {
  ComponentType,
  MessageFlags,
  SeparatorSpacingSize,
  type APIActionRowComponent,
  type APIComponentInActionRow,
  type APIComponentInContainer,
  type APIContainerComponent,
  type APIMediaGalleryComponent,
  type APISectionComponent,
  type APISeparatorComponent,
  type APITextDisplayComponent,
} from 'discord.js';
import { BRAND_COLOUR, clip } from '../replies.js';

/**
 * Discord's limits on a component layout (a message sent with IS_COMPONENTS_V2): 40 components in
 * all, nested ones counted, and 4,000 characters across every text display. docs/discord-components-v2.md.
 */
export const LAYOUT_LIMITS = { components: 40, text: 4000, galleryItems: 10, altText: 1024 } as const;

/** One block of a layout's card, in reading order. */
export type LayoutBlock =
  | { kind: 'text'; text: string; /** A cover shown beside the text (https only). */ thumbnail?: Thumbnail }
  | { kind: 'separator'; large?: boolean }
  | { kind: 'gallery'; items: ReadonlyArray<{ name: string; altText: string }> };

interface Thumbnail {
  url: string;
  altText: string;
}

const text = (content: string): APITextDisplayComponent => ({ type: ComponentType.TextDisplay, content });

/**
 * A cover URL Discord will show as a thumbnail: https only (an image URL from a source is not
 * trusted to be anything else), else nothing and the text stands alone.
 */
export function coverOf(item: unknown): string | undefined {
  const url = (item as { imageUrl?: unknown } | null)?.imageUrl;
  return typeof url === 'string' && /^https:\/\/\S+$/.test(url) ? url : undefined;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** At most `max` UTF-16 units (Discord's count), cut between graphemes, ending with "…". */
function cutUnits(text: string, max: number): string {
  let out = '';
  for (const { segment } of graphemes.segment(text)) {
    if (out.length + segment.length > max - 1) break;
    out += segment;
  }
  return `${out}…`;
}

/**
 * Cuts the longest text blocks, a line at a time from their end, until all text fits Discord's
 * 4,000 characters: a busy week loses its tail lines, never its heading or footer.
 */
function fitText(blocks: LayoutBlock[], max: number): LayoutBlock[] {
  const out = blocks.map((b) => ({ ...b }));
  const texts = () => out.filter((b): b is Extract<LayoutBlock, { kind: 'text' }> => b.kind === 'text');
  const total = () => texts().reduce((sum, b) => sum + b.text.length, 0);
  while (total() > max) {
    const longest = texts().reduce((a, b) => (b.text.length > a.text.length ? b : a));
    const lines = longest.text.split('\n');
    const shorter = [...lines.slice(0, -2), '…'].join('\n');
    longest.text =
      lines.length > 2 && shorter.length < longest.text.length
        ? shorter
        : cutUnits(longest.text, Math.max(1, longest.text.length - (total() - max)));
  }
  return out;
}

const hasItems = (b: LayoutBlock | undefined | false) =>
  b !== undefined && b !== false && b.kind === 'gallery' && b.items.length > 0;

function component(block: LayoutBlock): APIComponentInContainer {
  switch (block.kind) {
    case 'text':
      if (!block.thumbnail) return text(block.text);
      return {
        type: ComponentType.Section,
        components: [text(block.text)],
        accessory: {
          type: ComponentType.Thumbnail,
          media: { url: block.thumbnail.url },
          description: clip(block.thumbnail.altText, LAYOUT_LIMITS.altText),
        },
      } satisfies APISectionComponent;
    case 'separator':
      return {
        type: ComponentType.Separator,
        divider: true,
        spacing: block.large ? SeparatorSpacingSize.Large : SeparatorSpacingSize.Small,
      } satisfies APISeparatorComponent;
    case 'gallery':
      return {
        type: ComponentType.MediaGallery,
        items: block.items.slice(0, LAYOUT_LIMITS.galleryItems).map((item) => ({
          media: { url: `attachment://${item.name}` },
          description: clip(item.altText, LAYOUT_LIMITS.altText),
        })),
      } satisfies APIMediaGalleryComponent;
  }
}

/**
 * A message as a component layout: one container in Encore's colour holding the blocks, then the
 * action rows (buttons, menus) under it. The flag goes with it: Discord then refuses content and
 * embeds beside it, and no edit may take the flag off again.
 */
export function layoutMessage(options: {
  blocks: ReadonlyArray<LayoutBlock | undefined | false>;
  rows?: ReadonlyArray<APIActionRowComponent<APIComponentInActionRow>>;
  accent?: number;
}) {
  const blocks = fitText(
    // An empty gallery is refused by Discord (1–10 items): a message without charts has none.
    options.blocks.filter(
      (b): b is LayoutBlock => (Boolean(b) && (b as LayoutBlock).kind !== 'gallery') || hasItems(b),
    ),
    LAYOUT_LIMITS.text,
  );
  const container: APIContainerComponent = {
    type: ComponentType.Container,
    accent_color: options.accent ?? BRAND_COLOUR,
    components: blocks.map(component),
  };
  return {
    flags: MessageFlags.IsComponentsV2 as const,
    components: [container, ...(options.rows ?? [])],
  };
}
