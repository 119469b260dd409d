import { type HttpAnswer, httpCall, HttpTimeoutError, httpUpload } from '../httpCall';
import { z } from 'zod';
import {
  type MessagesService,
  MessagesServiceError,
  type EventPage,
  MESSAGE_EVENT_TYPES,
  type MultichannelMessage,
  type SendResult,
} from './messagesService';

export interface MessagesClientOptions {
  baseUrl: string;
  username: string;
  password: string;
  /** Where the password is kept when it rotates (credentials.ts): tried in order when a token is needed; `password` when absent. */
  passwords?: () => Promise<string[]>;
  timeoutMs: number;
}

interface ErrorBody {
  reason?: string;
  messageId?: string | number;
  validationErrors?: { error: string }[];
}

/** What each call's answer must hold; an answer without it is refused, not cast. */
const ANSWERS = {
  token: z.object({ accessToken: z.string().min(1) }),
  activeMailboxes: z.object({ endUsersWithActiveMailbox: z.array(z.object({ id: z.string() })) }),
  attachment: z.object({ attachmentId: z.string().min(1) }),
  sent: z.object({ messageId: z.union([z.string().min(1), z.number()]) }),
  conflict: z.object({ messageId: z.union([z.string(), z.number()]).optional() }),
  events: z.object({
    events: z.array(
      z.object({
        type: z.enum(MESSAGE_EVENT_TYPES),
        eventTime: z.string().min(1),
        metadata: z.object({ messageId: z.union([z.string(), z.number()]).transform(String), externalId: z.string() }),
      }),
    ),
    continuationToken: z.string(),
  }),
} satisfies Record<string, z.ZodType>;

/**
 * An answer with HTTP 2xx that is not what the interface promises: a
 * changed or broken service, not a passing fault, so it is not retried.
 */
export class MessagesAnswerError extends MessagesServiceError {
  constructor(
    what: string,
    readonly problems: string[],
  ) {
    super('invalid_answer', `${what}: ${problems.join('; ')}`, false);
  }
}

function answerOf<S extends z.ZodType>(response: HttpAnswer, schema: S, what: string): z.output<S> {
  let body: unknown;
  try {
    body = JSON.parse(response.text);
  } catch {
    throw new MessagesAnswerError(what, ['the answer is not JSON']);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success)
    throw new MessagesAnswerError(
      what,
      parsed.error.issues.map((i) => `${i.path.join('.') || '(answer)'}: ${i.message}`),
    );
  return parsed.data;
}

/**
 * The REST client of Suomi.fi Messages: a bearer token from /v1/token,
 * fetched again when it is refused, and each call bounded by a timeout so
 * a hung service becomes a retryable failure rather than a stuck activity.
 */
export class SuomifiMessagesClient implements MessagesService {
  private token?: Promise<string>;

  constructor(private options: MessagesClientOptions) {}

  private async call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<HttpAnswer> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.accessToken();
      const response = await this.fetch(method, path, body, { Authorization: `Bearer ${token}` });
      if (response.status === 401 && attempt === 0) {
        this.token = undefined;
        continue;
      }
      return response;
    }
  }

  private async fetch(method: 'GET' | 'POST', path: string, body: unknown, headers: Record<string, string> = {}): Promise<HttpAnswer> {
    const url = new URL(path, this.options.baseUrl);
    const { timeoutMs } = this.options;
    try {
      if (body instanceof FormData)
        return await httpUpload(url, { form: body, headers: { Accept: 'application/json', ...headers }, timeoutMs });
      return await httpCall(url, {
        method,
        headers: { Accept: 'application/json', ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
        timeoutMs,
      });
    } catch (error) {
      if (error instanceof HttpTimeoutError)
        throw new MessagesServiceError('timeout', `no answer to ${method} ${path} within ${timeoutMs} ms`, true);
      throw new MessagesServiceError('network', `${method} ${path}: ${(error as Error).message}`, true);
    }
  }

  private accessToken(): Promise<string> {
    this.token ??= (async () => {
      // Current first; during a rotation the pending one may be the one the service knows.
      const candidates = this.options.passwords ? await this.options.passwords() : [this.options.password];
      let response: HttpAnswer | undefined;
      for (const password of candidates) {
        response = await this.fetch('POST', '/v1/token', { username: this.options.username, password });
        if (response.status !== 401) break;
      }
      if (!response!.ok) throw failure(response!);
      const { accessToken } = answerOf(response!, ANSWERS.token, 'POST /v1/token');
      return accessToken;
    })().catch((error: unknown) => {
      this.token = undefined;
      throw error;
    });
    return this.token;
  }

  /** Whether the service takes this password now (a token for it), without keeping the token. */
  async acceptsPassword(password: string): Promise<boolean> {
    const response = await this.fetch('POST', '/v1/token', { username: this.options.username, password });
    if (response.status === 401) return false;
    if (!response.ok) throw failure(response);
    return true;
  }

  async changePassword(currentPassword: string, newPassword: string): Promise<void> {
    const response = await this.call('POST', '/v1/change-password', {
      accessToken: await this.accessToken(),
      currentPassword,
      newPassword,
    });
    if (!response.ok) throw failure(response);
    this.options = { ...this.options, password: newPassword };
  }

  async activeMailboxes(ids: string[]): Promise<string[]> {
    if (ids.length > 10_000) throw new RangeError('At most 10,000 ids a call');
    const response = await this.call('POST', '/v1/mailboxes/active', { endUsers: ids.map((id) => ({ id })) });
    if (!response.ok) throw failure(response);
    const { endUsersWithActiveMailbox } = answerOf(response, ANSWERS.activeMailboxes, 'POST /v1/mailboxes/active');
    return endUsersWithActiveMailbox.map((user) => user.id);
  }

  async uploadAttachment(file: { fileName: string; bytes: Buffer }): Promise<string> {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(file.bytes)], { type: 'application/pdf' }), file.fileName);
    const response = await this.call('POST', '/v2/attachments', form);
    if (!response.ok) throw failure(response);
    const { attachmentId } = answerOf(response, ANSWERS.attachment, 'POST /v2/attachments');
    return attachmentId;
  }

  async sendMultichannel(message: MultichannelMessage): Promise<SendResult> {
    const response = await this.call('POST', '/v2/messages', message);
    if (response.status === 409) {
      // A repeat is already sent whatever its body says; the message id is kept when the body gives one.
      const body = ANSWERS.conflict.safeParse(safeJson(response.text));
      const messageId = body.success ? body.data.messageId : undefined;
      return { outcome: 'already_sent', ...(messageId !== undefined ? { messageId: String(messageId) } : {}) };
    }
    if (!response.ok) throw failure(response);
    const { messageId } = answerOf(response, ANSWERS.sent, 'POST /v2/messages');
    return { outcome: 'sent', messageId: String(messageId) };
  }

  async events(continuationToken?: string): Promise<EventPage> {
    const query = continuationToken ? `?continuationToken=${encodeURIComponent(continuationToken)}` : '';
    const response = await this.call('GET', `/v2/events${query}`);
    if (!response.ok) throw failure(response);
    return answerOf(response, ANSWERS.events, 'GET /v2/events') satisfies EventPage;
  }
}

function failure(response: HttpAnswer): MessagesServiceError {
  const text = response.text;
  let reason = text.slice(0, 500) || `HTTP ${response.status}`;
  try {
    const body = JSON.parse(text) as ErrorBody;
    reason = [body.reason, ...(body.validationErrors ?? []).map((v) => v.error)].filter(Boolean).join('; ') || reason;
  } catch {
    /* not JSON: keep the text */
  }
  const retryable = response.status >= 500 || response.status === 429 || response.status === 401;
  return new MessagesServiceError(response.status, reason, retryable);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
