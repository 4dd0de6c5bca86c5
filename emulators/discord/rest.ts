import express, { type Request, type Response, type Router } from 'express';
import { guildJson } from './gateway.js';
import { IS_COMPONENTS_V2, MAX_ATTACHMENT_BYTES, layoutProblems, messageProblems, readModal } from './limits.js';
import {
  botDeniedIn,
  botIsIn,
  channelJson,
  messageJson,
  snowflake,
  userJson,
  type EInteraction,
  type EmulatorState,
  type RecordedFile,
  type RecordedMessage,
} from './state.js';

const EPHEMERAL = 64;
const INTERACTION_DEADLINE_MS = 3_000;
const TOKEN_LIFETIME_MS = 15 * 60_000;
/** How long Discord remembers a nonce sent with enforce_nonce ("a few minutes"). */
export const NONCE_WINDOW_MS = 5 * 60_000;

/**
 * The callback types Discord takes for each kind of interaction: autocomplete only gets choices, a
 * modal can open from a command or a component but never from a modal submit, and only a submit
 * of a modal a component opened can update that component's message.
 */
function answersFor(interaction: EInteraction): number[] {
  if (interaction.type === 4) return [8];
  if (interaction.type === 5) return interaction.sourceMessageId ? [4, 5, 6, 7] : [4, 5, 6];
  if (interaction.type === 3) return [4, 5, 6, 7, 9];
  return [4, 5, 9];
}

/** Discord caps follow-ups for an app that is only user-installed where it was used (2024-06 changelog). */
const MAX_USER_APP_FOLLOW_UPS = 5;
const userInstalledOnly = (interaction: EInteraction) =>
  interaction.authorizingOwners !== undefined && !('0' in interaction.authorizingOwners);

/**
 * Discord's checks on `integration_types` (0 guild install, 1 user install) and `contexts` (0 server,
 * 1 the bot's DM, 2 a group DM or another DM) of each registered command: known values, no repeats.
 */
export function installProblems(list: Array<Record<string, unknown>>): string[] {
  const problems: string[] = [];
  const check = (i: number, field: string, allowed: number[]) => {
    const values = list[i]![field];
    if (values === undefined || values === null) return;
    if (!Array.isArray(values)) return void problems.push(`${i}.${field}: Must be a list.`);
    values.forEach((v, j) => {
      if (!allowed.includes(v as number))
        problems.push(`${i}.${field}.${j}: Value must be one of {${allowed.join(', ')}}.`);
    });
    if (new Set(values).size !== values.length) problems.push(`${i}.${field}: Must not contain duplicates.`);
  };
  list.forEach((_, i) => {
    check(i, 'integration_types', [0, 1]);
    check(i, 'contexts', [0, 1, 2]);
  });
  return problems;
}

/** Reads a JSON or multipart (payload_json + files[n]) body the way Discord does. */
async function readPayload(req: Request): Promise<{ body: Record<string, unknown>; files: RecordedFile[] }> {
  const type = req.headers['content-type'] ?? '';
  const raw = req.body as Buffer;
  if (!type.startsWith('multipart/form-data'))
    return { body: raw?.length ? (JSON.parse(raw.toString()) as Record<string, unknown>) : {}, files: [] };
  const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': type } }).formData();
  const body = JSON.parse(String(form.get('payload_json') ?? '{}')) as Record<string, unknown>;
  const described =
    (body.attachments as Array<{ id: string | number; description?: string; filename?: string }> | undefined) ?? [];
  const files: RecordedFile[] = [];
  const entries: Array<[string, FormDataEntryValue]> = [];
  form.forEach((value, key) => entries.push([key, value]));
  for (const [key, value] of entries) {
    const index = /^files\[(\d+)\]$/.exec(key)?.[1];
    if (index === undefined || typeof value === 'string') continue;
    const meta = described.find((a) => String(a.id) === index);
    files.push({
      filename: meta?.filename ?? value.name,
      description: meta?.description,
      contentType: value.type,
      bytes: Buffer.from(await value.arrayBuffer()),
    });
  }
  return { body, files };
}

export function restRouter(state: EmulatorState, gatewayUrl: () => string): Router {
  const router = express.Router();
  router.use(express.raw({ type: () => true, limit: '30mb' }));

  const reject = (
    req: Request,
    res: Response,
    status: number,
    code: number,
    message: string,
    interactionId?: string,
  ) => {
    state.rejected.push({ method: req.method, path: req.path, status, code, message, interactionId });
    return res.status(status).json({ code, message });
  };

  router.use((req, res, next) => {
    if (
      req.path === '/gateway/bot' ||
      req.headers.authorization === `Bot ${state.token}` ||
      req.path.startsWith('/webhooks/') ||
      req.path.startsWith('/interactions/')
    ) {
      if (state.rateLimit.count > 0) {
        state.rateLimit.count--;
        res.setHeader('retry-after', String(state.rateLimit.retryAfterSec));
        res.setHeader('x-ratelimit-limit', '5');
        res.setHeader('x-ratelimit-remaining', '0');
        res.setHeader('x-ratelimit-reset-after', String(state.rateLimit.retryAfterSec));
        res.setHeader('x-ratelimit-bucket', 'emulated');
        return res
          .status(429)
          .json({ message: 'You are being rate limited.', retry_after: state.rateLimit.retryAfterSec, global: false });
      }
      return next();
    }
    return res.status(401).json({ code: 0, message: '401: Unauthorized' });
  });

  router.get('/gateway/bot', (_req, res) =>
    res.json({
      url: gatewayUrl(),
      shards: state.shardCount,
      session_start_limit: { total: 1000, remaining: 999, reset_after: 86_400_000, max_concurrency: 1 },
    }),
  );
  router.get('/users/@me', (_req, res) => res.json(userJson(state.bot)));
  router.get('/users/:id', (req, res) => {
    const user = state.users.get(String(req.params.id));
    return user ? res.json(userJson(user)) : reject(req, res, 404, 10013, 'Unknown User');
  });
  router.get('/applications/@me', (_req, res) =>
    res.json({
      id: state.applicationId,
      name: 'Encore',
      flags: 0,
      bot_public: true,
      bot_require_code_grant: false,
      owner: userJson(state.bot),
    }),
  );

  const storeCommands = (list: Array<Record<string, unknown>>) =>
    list.map((c) => ({ ...c, id: snowflake(), application_id: state.applicationId, version: snowflake() }));
  router.put('/applications/:app/commands', (req, res) => {
    const list = JSON.parse(String(req.body)) as Array<Record<string, unknown>>;
    const problems = installProblems(list);
    if (problems.length) return reject(req, res, 400, 50035, `Invalid Form Body: ${problems.join('; ')}`);
    state.commands.global = storeCommands(list);
    state.commands.registrations++;
    res.json(state.commands.global);
  });
  router.put('/applications/:app/guilds/:guild/commands', (req, res) => {
    const list = JSON.parse(String(req.body)) as Array<Record<string, unknown>>;
    const problems = installProblems(list);
    if (problems.length) return reject(req, res, 400, 50035, `Invalid Form Body: ${problems.join('; ')}`);
    const stored = storeCommands(list);
    state.commands.guild.set(String(req.params.guild), stored);
    state.commands.registrations++;
    res.json(stored);
  });
  router.get('/applications/:app/commands', (_req, res) => res.json(state.commands.global));

  const interactionFor = (req: Request, res: Response, byToken: boolean): EInteraction | undefined => {
    const found = byToken
      ? [...state.interactions.values()].find((i) => i.token === req.params.token)
      : state.interactions.get(String(req.params.id));
    if (!found || (!byToken && found.token !== req.params.token)) {
      reject(req, res, 404, 10062, 'Unknown interaction');
      return undefined;
    }
    return found;
  };
  const record = (
    channelId: string,
    body: Record<string, unknown>,
    files: RecordedFile[],
    via: RecordedMessage['via'],
    interactionId?: string,
  ): RecordedMessage => ({
    id: snowflake(),
    channel_id: channelId,
    content: String(body.content ?? ''),
    embeds: (body.embeds as Array<Record<string, unknown>>) ?? [],
    components: (body.components as Array<Record<string, unknown>>) ?? [],
    files,
    flags: Number(body.flags ?? 0),
    interactionId,
    via,
    at: state.now(),
  });
  /**
   * Discord's checks on a message body; for an edit (`previous`), on the message as the edit leaves
   * it: a layout's flag stays, and the content or embeds it keeps count against it.
   */
  const invalid = (
    req: Request,
    res: Response,
    body: Record<string, unknown>,
    files: RecordedFile[],
    interactionId?: string,
    previous?: RecordedMessage,
  ) => {
    const asked = body.flags === undefined || body.flags === null ? undefined : Number(body.flags);
    const flags = (asked ?? 0) | ((previous?.flags ?? 0) & IS_COMPONENTS_V2);
    const problems = messageProblems({ ...body, flags });
    if (previous && previous.flags & IS_COMPONENTS_V2 && asked !== undefined && !(asked & IS_COMPONENTS_V2))
      problems.push('flags: The IS_COMPONENTS_V2 flag cannot be removed from a message.');
    problems.push(
      ...layoutProblems({
        flags,
        content: body.content === undefined ? (previous?.content ?? '') : String(body.content ?? ''),
        embeds: (body.embeds === undefined ? previous?.embeds : (body.embeds as unknown[] | null)) ?? [],
        components:
          (body.components === undefined
            ? previous?.components
            : (body.components as Array<Record<string, unknown>> | null)) ?? [],
        fileNames: [...(previous?.files ?? []), ...files].map((f) => f.filename),
      }),
    );
    if (files.some((f) => f.bytes.length > MAX_ATTACHMENT_BYTES)) problems.push('files: Request entity too large');
    if (problems.length === 0) return false;
    reject(req, res, 400, 50035, `Invalid Form Body: ${problems.join('; ')}`, interactionId);
    return true;
  };

  router.post('/interactions/:id/:token/callback', async (req, res) => {
    const interaction = interactionFor(req, res, false);
    if (!interaction) return;
    if (state.now() - interaction.createdAt > INTERACTION_DEADLINE_MS)
      return reject(req, res, 404, 10062, 'Unknown interaction', interaction.id);
    if (interaction.acknowledged)
      return reject(req, res, 400, 40060, 'Interaction has already been acknowledged.', interaction.id);
    const { body: envelope, files } = await readPayload(req);
    const type = Number(envelope.type);
    const data = (envelope.data as Record<string, unknown> | undefined) ?? {};
    const allowed = answersFor(interaction);
    if (!allowed.includes(type))
      return reject(
        req,
        res,
        400,
        50035,
        `Invalid Form Body: type: Value must be one of {${allowed.join(', ')}}.`,
        interaction.id,
      );
    if (type === 9) {
      const { problems, fields } = readModal(data);
      if (problems.length)
        return reject(req, res, 400, 50035, `Invalid Form Body: ${problems.join('; ')}`, interaction.id);
      interaction.acknowledged = true;
      // Discord shows one modal at a time: a newer one replaces whatever the member had open.
      const replaced = state.interactions.get(state.openModals.get(interaction.userId) ?? '')?.modal;
      if (replaced) replaced.open = false;
      interaction.modal = {
        custom_id: String(data.custom_id),
        title: String(data.title),
        fields,
        components: data.components as Array<Record<string, unknown>>,
        open: true,
      };
      state.openModals.set(interaction.userId, interaction.id);
      return res.status(204).end();
    }
    if (type === 8) {
      const choices = (data.choices as Array<{ name: string; value: string | number }>) ?? [];
      if (choices.length > 25)
        return reject(
          req,
          res,
          400,
          50035,
          'Invalid Form Body: data.choices: Must be 25 or fewer in length.',
          interaction.id,
        );
      interaction.acknowledged = true;
      interaction.autocompleteChoices = choices;
      return res.status(204).end();
    }
    const updating =
      type === 7 && interaction.sourceMessageId ? state.messages.get(interaction.sourceMessageId) : undefined;
    if (invalid(req, res, data, files, interaction.id, updating)) return;
    interaction.acknowledged = true;
    if (type === 4 || type === 5) {
      interaction.deferred = type === 5;
      const flags = Number(data.flags ?? 0) | (interaction.forcedEphemeral ? EPHEMERAL : 0);
      interaction.ephemeral = (flags & EPHEMERAL) !== 0;
      const message = record(
        interaction.channelId,
        { ...data, flags },
        files,
        type === 5 ? 'deferred' : 'reply',
        interaction.id,
      );
      interaction.original = message;
      interaction.history.push(message);
      state.messages.set(message.id, message);
    } else if (type === 6 || type === 7) {
      const source = interaction.sourceMessageId ? state.messages.get(interaction.sourceMessageId) : undefined;
      if (source && type === 7) {
        const updated = {
          ...source,
          ...record(
            source.channel_id,
            { ...data, flags: source.flags | (Number(data.flags ?? 0) & IS_COMPONENTS_V2) },
            files.length ? files : source.files,
            'update',
            interaction.id,
          ),
          id: source.id,
        };
        state.messages.set(source.id, updated);
        interaction.original = updated;
        interaction.history.push(updated);
      } else if (source) interaction.original = source;
      interaction.deferred = type === 6;
    }
    res.status(204).end();
  });

  const tokenAlive = (req: Request, res: Response, interaction: EInteraction) => {
    if (state.now() - interaction.createdAt <= TOKEN_LIFETIME_MS) return true;
    reject(req, res, 401, 50027, 'Invalid Webhook Token', interaction.id);
    return false;
  };

  router.patch('/webhooks/:app/:token/messages/:messageId', async (req, res) => {
    const interaction = interactionFor(req, res, true);
    if (!interaction || !tokenAlive(req, res, interaction)) return;
    const target =
      req.params.messageId === '@original' ? interaction.original : state.messages.get(String(req.params.messageId));
    if (!target) return reject(req, res, 404, 10008, 'Unknown Message', interaction.id);
    const { body, files } = await readPayload(req);
    if (invalid(req, res, body, files, interaction.id, target)) return;
    // An edit keeps what it doesn't mention, and `attachments` lists which old files stay.
    const keep =
      body.attachments === undefined
        ? target.files
        : target.files.filter((_, i) =>
            (body.attachments as Array<{ id: string }>).some((a) => String(a.id) === `${target.id}${i}`),
          );
    const edited: RecordedMessage = {
      ...target,
      content: body.content === undefined ? target.content : String(body.content ?? ''),
      embeds: body.embeds === undefined ? target.embeds : ((body.embeds as Array<Record<string, unknown>>) ?? []),
      components:
        body.components === undefined ? target.components : ((body.components as Array<Record<string, unknown>>) ?? []),
      files: [...keep, ...files],
      // An edit may turn a message into a layout, never back (the ephemeral bit is the response's own).
      flags: target.flags | (Number(body.flags ?? 0) & IS_COMPONENTS_V2),
      via: 'edit',
      at: state.now(),
    };
    state.messages.set(edited.id, edited);
    if (target === interaction.original) interaction.original = edited;
    interaction.history.push(edited);
    res.json(messageJson(edited, state));
  });

  router.delete('/webhooks/:app/:token/messages/:messageId', (req, res) => {
    const interaction = interactionFor(req, res, true);
    if (!interaction || !tokenAlive(req, res, interaction)) return;
    const target =
      req.params.messageId === '@original' ? interaction.original : state.messages.get(String(req.params.messageId));
    if (!target) return reject(req, res, 404, 10008, 'Unknown Message', interaction.id);
    state.messages.delete(target.id);
    if (target === interaction.original) {
      interaction.original = undefined;
      interaction.originalDeleted = true;
    }
    res.status(204).end();
  });

  router.get('/webhooks/:app/:token/messages/:messageId', (req, res) => {
    const interaction = interactionFor(req, res, true);
    if (!interaction) return;
    const target =
      req.params.messageId === '@original' ? interaction.original : state.messages.get(String(req.params.messageId));
    return target ? res.json(messageJson(target, state)) : reject(req, res, 404, 10008, 'Unknown Message');
  });

  router.post('/webhooks/:app/:token', async (req, res) => {
    const interaction = interactionFor(req, res, true);
    if (!interaction || !tokenAlive(req, res, interaction)) return;
    if (!interaction.acknowledged) return reject(req, res, 404, 10015, 'Unknown Webhook', interaction.id);
    if (userInstalledOnly(interaction) && interaction.followUps.length >= MAX_USER_APP_FOLLOW_UPS)
      return reject(
        req,
        res,
        400,
        40094,
        'This interaction has hit the maximum number of follow up messages',
        interaction.id,
      );
    const { body, files } = await readPayload(req);
    if (invalid(req, res, body, files, interaction.id)) return;
    const flags = Number(body.flags ?? 0) | (interaction.forcedEphemeral ? EPHEMERAL : 0);
    const message = record(interaction.channelId, { ...body, flags }, files, 'followup', interaction.id);
    interaction.followUps.push(message);
    state.messages.set(message.id, message);
    res.json(messageJson(message, state));
  });

  router.post('/users/@me/channels', (req, res) => {
    const { recipient_id: recipientId } = JSON.parse(String(req.body)) as { recipient_id: string };
    if (!state.users.has(recipientId)) return reject(req, res, 400, 50033, 'Invalid Recipient(s)');
    let channel = [...state.channels.values()].find((c) => c.type === 1 && c.recipientId === recipientId);
    if (!channel) {
      channel = { id: snowflake(), type: 1, recipientId };
      state.channels.set(channel.id, channel);
    }
    res.json(channelJson(channel, state));
  });

  // Membership as Discord answers it to a bot without the privileged members intent: one member at a time.
  router.get('/guilds/:guild/members/:user', (req, res) => {
    const guild = state.guilds.get(String(req.params.guild));
    if (!guild) return reject(req, res, 404, 10004, 'Unknown Guild');
    const user = state.users.get(String(req.params.user));
    if (!user || !guild.memberIds.includes(user.id)) return reject(req, res, 404, 10007, 'Unknown Member');
    return res.json({
      user: userJson(user),
      nick: null,
      avatar: null,
      roles: [],
      joined_at: new Date(0).toISOString(),
      deaf: false,
      mute: false,
      flags: 0,
      pending: false,
    });
  });

  // Any process may ask about any server by REST, whichever shard holds it.
  router.get('/guilds/:guild', (req, res) => {
    const guild = state.guilds.get(String(req.params.guild));
    if (guild && !botIsIn(guild, state)) return reject(req, res, 403, 50001, 'Missing Access');
    return guild
      ? res.json({ ...guildJson(guild, state), channels: undefined, members: undefined })
      : reject(req, res, 404, 10004, 'Unknown Guild');
  });

  router.get('/channels/:id', (req, res) => {
    const channel = state.channels.get(String(req.params.id));
    return channel ? res.json(channelJson(channel, state)) : reject(req, res, 404, 10003, 'Unknown Channel');
  });

  router.post('/channels/:id/messages', async (req, res) => {
    const channel = state.channels.get(String(req.params.id));
    if (!channel) return reject(req, res, 404, 10003, 'Unknown Channel');
    // A group DM, or a server the app is only user-installed in: the bot is not there to post.
    const guild = channel.guild_id ? state.guilds.get(channel.guild_id) : undefined;
    if (channel.type === 3 || (guild && !botIsIn(guild, state))) return reject(req, res, 403, 50001, 'Missing Access');
    if (channel.type === 1 && state.users.get(channel.recipientId!)?.dmsClosed)
      return reject(req, res, 403, 50007, 'Cannot send messages to this user');
    if (channel.botDenied === 'view') return reject(req, res, 403, 50001, 'Missing Access');
    if (channel.botDenied === 'send') return reject(req, res, 403, 50013, 'Missing Permissions');
    const denied = channel.type === 0 ? botDeniedIn(channel, state) : new Set<string>();
    if (denied.has('ViewChannel')) return reject(req, res, 403, 50001, 'Missing Access');
    if (denied.has('SendMessages')) return reject(req, res, 403, 50013, 'Missing Permissions');
    const { body, files } = await readPayload(req);
    if (invalid(req, res, body, files)) return;
    const embeds = (body.embeds as unknown[] | undefined) ?? [];
    if ((denied.has('EmbedLinks') && embeds.length) || (denied.has('AttachFiles') && files.length))
      return reject(req, res, 403, 50013, 'Missing Permissions');
    const nonce = body.nonce === undefined || body.nonce === null ? undefined : String(body.nonce);
    if (nonce !== undefined && nonce.length > 25)
      return reject(req, res, 400, 50035, 'Invalid Form Body: nonce: Must be 25 or fewer in length.');
    const nonceKey = `${channel.id}:${nonce}`;
    if (nonce !== undefined && body.enforce_nonce === true) {
      const seen = state.nonces.get(nonceKey);
      const first = seen && state.now() - seen.at <= NONCE_WINDOW_MS ? state.messages.get(seen.messageId) : undefined;
      if (first) return res.json(messageJson(first, state));
    }
    const message = record(channel.id, body, files, channel.type === 1 ? 'dm' : 'channel');
    if (nonce !== undefined && body.enforce_nonce === true)
      state.nonces.set(nonceKey, { messageId: message.id, at: message.at });
    state.channelMessages.push(message);
    state.messages.set(message.id, message);
    res.json(messageJson(message, state));
  });

  router.use((req, res) => reject(req, res, 404, 0, `404: Not Found (${req.method} ${req.path})`));
  return router;
}
