import { createHash, randomUUID } from 'node:crypto';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { type SimulatedPeople } from '../simulatedPeople';
import type { MessageEvent, MessageEventType, MultichannelMessage } from './messagesService';

/**
 * A local Suomi.fi Messages speaking the authorities' REST API: tokens,
 * active mailboxes, attachments, multichannel messages with externalId
 * idempotency, and delivery events over time. It can be told to fail
 * (/sim/faults) and counts POSTs against distinct externalIds (/sim/counters)
 * so tests can prove that nothing was sent twice.
 */

export interface MessagesSimulatorOptions {
  people: SimulatedPeople;
  username: string;
  password: string;
  /** Time between two delivery events of one message. */
  eventStepMs: number;
}

export type FaultEndpoint = 'token' | 'mailboxes' | 'attachments' | 'messages' | 'events';

export interface FaultRule {
  endpoint: FaultEndpoint;
  /** Only requests about this recipient (messages, mailboxes); any request when omitted. */
  recipientId?: string;
  /** "drop_response": the message is accepted but the answer never arrives, as when a connection breaks. */
  kind: 'error' | 'timeout' | 'slow' | 'drop_response';
  status?: number;
  reason?: string;
  /** For "slow": added delay; for "timeout": how long to hold the request before dropping it. */
  delayMs?: number;
  times: number;
}

interface SentMessage {
  messageId: string;
  externalId: string;
  recipientId: string;
  channel: 'electronic' | 'paper';
  paperAddressGiven: boolean;
  createdAt: string;
}

interface Counter {
  posts: number;
  accepted: boolean;
  conflicts: number;
  rejected: number;
}

const EVENTS_PAGE = 1000;

export function createMessagesSimulator(options: MessagesSimulatorOptions): Express {
  let password = options.password;
  const tokens = new Set<string>();
  const attachments = new Map<string, { size: number; sha256: string }>();
  const messages = new Map<string, SentMessage>();
  const counters = new Map<string, Counter>();
  const faults: FaultRule[] = [];
  const log: MessageEvent[] = [];
  let pending: { due: number; event: MessageEvent }[] = [];
  let nextMessageId = 100_000;
  let eventStepMs = options.eventStepMs;

  const app = express();
  app.disable('x-powered-by');

  function fault(endpoint: FaultEndpoint, recipientIds: string[] = []): FaultRule | undefined {
    const rule = faults.find((f) => f.endpoint === endpoint && f.times > 0 && (!f.recipientId || recipientIds.includes(f.recipientId)));
    if (rule) rule.times -= 1;
    return rule;
  }

  /** Applies an injected fault; returns true when the request has been answered (or dropped). */
  async function injected(rule: FaultRule | undefined, res: Response): Promise<boolean> {
    if (!rule) return false;
    if (rule.kind === 'slow') {
      await new Promise((r) => setTimeout(r, rule.delayMs ?? 1000));
      return false;
    }
    if (rule.kind === 'timeout') {
      await new Promise((r) => setTimeout(r, rule.delayMs ?? 60_000));
      res.socket?.destroy();
      return true;
    }
    res.status(rule.status ?? 500).json({ reason: rule.reason ?? 'Simulated failure' });
    return true;
  }

  const authenticated = (req: Request, res: Response, next: NextFunction) => {
    const token = req.headers.authorization?.replace(/^Bearer /, '');
    if (!token || !tokens.has(token)) {
      res.status(401).json({ reason: 'Missing or invalid access token' });
      return;
    }
    next();
  };

  function schedule(message: SentMessage): void {
    const person = options.people.get(message.recipientId);
    const steps: MessageEventType[] =
      message.channel === 'electronic'
        ? [
            'Electronic message created',
            ...({ read: ['Electronic message read'], receipt: ['Receipt confirmed', 'Electronic message read'], unread: [] } as const)[
              person.electronicOutcome
            ],
          ]
        : [
            'Paper mail created',
            'Sent for printing and enveloping',
            ({ delivered: 'Posti: receipt confirmed', returned: 'Posti: returned to sender', unresolved: 'Posti: unresolved' } as const)[
              person.paperOutcome
            ],
          ];
    const now = Date.now();
    steps.forEach((type, index) => {
      pending.push({
        due: now + index * eventStepMs,
        event: { type, eventTime: '', metadata: { messageId: message.messageId, externalId: message.externalId } },
      });
    });
  }

  /** Events become visible when they are due, in the order they fall due. */
  function releaseDueEvents(): void {
    const now = Date.now();
    const due = pending.filter((p) => p.due <= now).sort((a, b) => a.due - b.due);
    if (!due.length) return;
    pending = pending.filter((p) => p.due > now);
    for (const { due: at, event } of due) log.push({ ...event, eventTime: new Date(at).toISOString() });
  }

  // --- the service's API --------------------------------------------------

  app.post('/v1/token', express.json(), async (req, res) => {
    if (await injected(fault('token'), res)) return;
    const { username, password: given } = req.body ?? {};
    if (username !== options.username || given !== password) {
      res.status(401).json({ reason: 'Invalid username or password' });
      return;
    }
    const accessToken = randomUUID();
    tokens.add(accessToken);
    res.json({ accessToken });
  });

  app.post('/v1/change-password', express.json(), authenticated, (req, res) => {
    const { currentPassword, newPassword } = req.body ?? {};
    if (currentPassword !== password || typeof newPassword !== 'string' || newPassword.length < 12) {
      res.status(400).json({ reason: 'Current password wrong or new password shorter than 12 characters' });
      return;
    }
    // The old credentials stop working at once: the old password, and every token issued under it.
    password = newPassword;
    tokens.clear();
    res.status(200).json({});
  });

  app.post('/v1/mailboxes/active', express.json({ limit: '2mb' }), authenticated, async (req, res) => {
    const ids = ((req.body?.endUsers ?? []) as { id: string }[]).map((u) => u.id);
    if (ids.length > 10_000) {
      res.status(400).json({ reason: 'At most 10000 end users a request' });
      return;
    }
    if (await injected(fault('mailboxes', ids), res)) return;
    res.json({ endUsersWithActiveMailbox: ids.filter((id) => options.people.get(id).mailbox).map((id) => ({ id })) });
  });

  app.post('/v2/attachments', express.raw({ type: 'multipart/form-data', limit: '12mb' }), authenticated, async (req, res) => {
    if (await injected(fault('attachments'), res)) return;
    const file = multipartFile(req);
    if (!file) {
      res.status(400).json({ reason: 'Send the file as multipart form field "file"' });
      return;
    }
    if (file.length > 10 * 1024 * 1024) {
      res.status(400).json({ reason: 'The file is larger than 10 MB' });
      return;
    }
    if (!file.subarray(0, 1024).includes('%PDF-')) {
      res.status(400).json({ reason: 'The file is not a PDF' });
      return;
    }
    const attachmentId = randomUUID();
    attachments.set(attachmentId, { size: file.length, sha256: createHash('sha256').update(file).digest('hex') });
    res.json({ attachmentId });
  });

  app.post('/v2/messages', express.json({ limit: '1mb' }), authenticated, async (req, res) => {
    const message = req.body as MultichannelMessage;
    const externalId = typeof message?.externalId === 'string' ? message.externalId : '';
    const recipientId = typeof message?.recipient?.id === 'string' ? message.recipient.id : '';
    const counter = counters.get(externalId) ?? { posts: 0, accepted: false, conflicts: 0, rejected: 0 };
    counters.set(externalId, counter);
    counter.posts += 1;
    const rule = fault('messages', [recipientId]);
    if (rule?.kind !== 'drop_response' && (await injected(rule, res))) return;

    const problems = validateMessage(message, attachments);
    if (problems.length) {
      counter.rejected += 1;
      res.status(400).json({ reason: 'Validation failed', validationErrors: problems.map((error) => ({ error })) });
      return;
    }
    const existing = messages.get(externalId);
    if (existing) {
      counter.conflicts += 1;
      res.status(409).json({ reason: 'A message with this externalId has already been sent', messageId: existing.messageId });
      return;
    }
    const person = options.people.get(recipientId);
    if (!person.mailbox && !message.paperMail) {
      counter.rejected += 1;
      res.status(400).json({ reason: 'The recipient has no active mailbox and the message has no paper mail part' });
      return;
    }
    const sent: SentMessage = {
      messageId: String(nextMessageId++),
      externalId,
      recipientId,
      channel: person.mailbox ? 'electronic' : 'paper',
      paperAddressGiven: Boolean(message.paperMail?.recipient?.address?.streetAddress),
      createdAt: new Date().toISOString(),
    };
    messages.set(externalId, sent);
    counter.accepted = true;
    schedule(sent);
    if (rule?.kind === 'drop_response') {
      res.socket?.destroy();
      return;
    }
    res.json({ messageId: sent.messageId });
  });

  app.get('/v2/events', authenticated, async (req, res) => {
    if (await injected(fault('events'), res)) return;
    releaseDueEvents();
    const token = typeof req.query.continuationToken === 'string' ? req.query.continuationToken : undefined;
    const from = token ? Number(Buffer.from(token, 'base64url').toString()) : 0;
    if (!Number.isInteger(from) || from < 0 || from > log.length) {
      res.status(400).json({ reason: 'Invalid continuationToken' });
      return;
    }
    const events = log.slice(from, from + EVENTS_PAGE);
    res.json({ events, continuationToken: Buffer.from(String(from + events.length)).toString('base64url') });
  });

  // --- the simulator's own controls ---------------------------------------

  app.post('/sim/recipients', express.json({ limit: '5mb' }), (req, res) => {
    const people = Array.isArray(req.body) ? req.body : [req.body];
    res.json({ registered: people.map((p) => options.people.register(p).id) });
  });

  app.post('/sim/faults', express.json(), (req, res) => {
    const rule = req.body as FaultRule;
    faults.push({ ...rule, times: rule.times ?? 1 });
    res.status(201).json({ faults: faults.length });
  });

  app.delete('/sim/faults', (_req, res) => {
    faults.length = 0;
    res.status(204).end();
  });

  app.post('/sim/settings', express.json(), (req, res) => {
    if (typeof req.body?.eventStepMs === 'number') eventStepMs = req.body.eventStepMs;
    res.json({ eventStepMs });
  });

  app.get('/sim/counters', (req, res) => {
    const prefix = typeof req.query.prefix === 'string' ? req.query.prefix : '';
    let posts = 0;
    let accepted = 0;
    let conflicts = 0;
    let rejected = 0;
    let distinct = 0;
    for (const [externalId, counter] of counters) {
      if (!externalId.startsWith(prefix)) continue;
      distinct += 1;
      posts += counter.posts;
      conflicts += counter.conflicts;
      rejected += counter.rejected;
      if (counter.accepted) accepted += 1;
    }
    res.json({ posts, distinctExternalIds: distinct, accepted, conflicts, rejected, attachments: attachments.size });
  });

  app.get('/sim/messages/:externalId', (req, res) => {
    const message = messages.get(req.params.externalId);
    if (!message) {
      res.status(404).json({ reason: 'No such message' });
      return;
    }
    res.json({ ...message, posts: counters.get(message.externalId)?.posts ?? 0 });
  });

  return app;
}

function validateMessage(message: MultichannelMessage, attachments: Map<string, unknown>): string[] {
  const problems: string[] = [];
  if (!message || typeof message !== 'object') return ['The body must be a JSON object'];
  if (!message.externalId || message.externalId.length > 100) problems.push('externalId: required, at most 100 characters');
  if (!message.recipient?.id) problems.push('recipient.id: required');
  if (!message.sender?.serviceId) problems.push('sender.serviceId: required');
  const electronic = message.electronic;
  if (!electronic) problems.push('electronic: required');
  else {
    if (!electronic.title || electronic.title.length > 256) problems.push('electronic.title: required, at most 256 characters');
    if (!electronic.body) problems.push('electronic.body: required');
    if (!['Text', 'Markdown'].includes(electronic.bodyFormat)) problems.push('electronic.bodyFormat: Text or Markdown');
    for (const file of electronic.files ?? [])
      if (!attachments.has(file.attachmentId)) problems.push(`electronic.files: unknown attachment ${file.attachmentId}`);
  }
  const paper = message.paperMail;
  if (paper) {
    if (paper.files?.length !== 1) problems.push('paperMail.files: exactly one PDF');
    for (const file of paper.files ?? [])
      if (!attachments.has(file.attachmentId)) problems.push(`paperMail.files: unknown attachment ${file.attachmentId}`);
    const address = paper.recipient?.address;
    if (!address?.name || !address.streetAddress || !address.zipCode || !address.city)
      problems.push('paperMail.recipient.address: name, streetAddress, zipCode and city are required');
  }
  return problems;
}

/** The bytes of the multipart field "file" (a simulator may buffer; the limit is 12 MB). */
function multipartFile(req: Request): Buffer | undefined {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(req.headers['content-type'] ?? '');
  const body = req.body;
  if (!boundary || !Buffer.isBuffer(body)) return undefined;
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  let start = body.indexOf(delimiter);
  while (start >= 0) {
    const next = body.indexOf(delimiter, start + delimiter.length);
    if (next < 0) break;
    const part = body.subarray(start + delimiter.length, next);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd >= 0 && /name="file"/.test(part.subarray(0, headerEnd).toString('latin1'))) {
      return part.subarray(headerEnd + 4, part.length - 2); // drop the CRLF before the next delimiter
    }
    start = next;
  }
  return undefined;
}
