/**
 * Ports every feature shares. A leaf: it imports nothing, so any use case or ports file may name
 * these without reaching back into the Services container (which names every feature's ports).
 */

/**
 * A message as a member sees it, built by a message builder (src/discord/messages) and handed
 * through unopened: the app decides what to send, the Discord adapter knows how.
 */
export interface MessageModel {
  content?: string;
  embeds?: readonly object[];
  components?: readonly object[];
  files?: readonly object[];
  /** Message flags; a component layout carries IS_COMPONENTS_V2 (1 << 15), and then no content or embeds. */
  flags?: number;
}

/** Draws a chart built by the chart builders (src/charts) into a PNG. */
export interface ChartImages {
  render(chart: { readonly kind: string; readonly title: string }): Promise<Buffer>;
  /** Which renderer draws them (canvas, or the prebuilt one where canvas cannot install). */
  readonly backend: string;
}
