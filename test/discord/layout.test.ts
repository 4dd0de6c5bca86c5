import { describe, expect, it } from 'vitest';
import { layoutProblems } from '../../emulators/discord/limits.js';
import { layoutMessage } from '../../src/discord/messages/layout.js';
import { layoutTexts } from '../support/messages.js';

const check = (message: ReturnType<typeof layoutMessage>) =>
  layoutProblems({
    ...(JSON.parse(JSON.stringify(message)) as { flags: number; components: Array<Record<string, unknown>> }),
    content: '',
    embeds: [],
    fileNames: [],
  });

describe('layoutMessage keeps within what Discord takes', () => {
  it('cuts the longest lists line by line to 4,000 characters, keeping the heading and the footer', () => {
    const list = Array.from({ length: 60 }, (_, i) => `${i + 1}. ${'Artist name '.repeat(8)}`).join('\n');
    const message = layoutMessage({
      blocks: [
        { kind: 'text', text: '## Heading' },
        { kind: 'text', text: list },
        { kind: 'text', text: list },
        { kind: 'separator' },
        { kind: 'text', text: '-# Footer' },
      ],
    });
    expect(check(message)).toEqual([]);
    const texts = layoutTexts(message);
    expect(texts[0]).toBe('## Heading');
    expect(texts.at(-1)).toBe('-# Footer');
    expect(texts[1]).toMatch(/^1\. Artist name/);
    expect(texts[1]!.endsWith('…')).toBe(true);
    expect(texts.join('').length).toBeLessThanOrEqual(4000);
  });

  it('cuts one long line of emoji between graphemes, counted as Discord counts (UTF-16 units)', () => {
    const family = '👨‍👩‍👧‍👦';
    const message = layoutMessage({ blocks: [{ kind: 'text', text: family.repeat(600) }] });
    expect(check(message)).toEqual([]);
    const [text] = layoutTexts(message);
    expect(text!.replace('…', '').length % family.length).toBe(0);
  });

  it('leaves out a gallery without charts (Discord takes 1–10 items) and the blocks that are not there', () => {
    const message = layoutMessage({
      blocks: [{ kind: 'text', text: 'Only text' }, { kind: 'gallery', items: [] }, undefined, false],
    });
    expect(check(message)).toEqual([]);
    expect(JSON.stringify(message.components)).not.toContain('"type":12');
  });
});
