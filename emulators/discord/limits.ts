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
