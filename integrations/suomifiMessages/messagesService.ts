/**
 * Suomi.fi Messages (Suomi.fi-viestit) as Sinetti uses it: the shape of the
 * authorities' REST API, behind one small interface. The HTTP client talks
 * to the real service or to the local simulator; both speak this API.
 */

export interface PostalAddress {
  name: string;
  additionalName?: string;
  streetAddress: string;
  zipCode: string;
  city: string;
  /** ISO 3166-1 alpha-2. */
  countryCode: string;
}

export interface ElectronicPart {
  title: string;
  body: string;
  bodyFormat: 'Text' | 'Markdown';
  messageServiceType: 'Normal' | 'Verifiable';
  files: { attachmentId: string }[];
  visibility: 'Normal' | 'Recipient only';
}

export interface PaperMailPart {
  /** The service prints the address page itself: the address is never printed by us. */
  createAddressPage: boolean;
  files: { attachmentId: string }[];
  recipient: { address: PostalAddress };
  sender: { address: PostalAddress };
  printingAndEnvelopingService: { postiMessaging: { username: string; password: string; contactDetails: { email: string } } };
  colorPrinting: boolean;
  twoSidedPrinting: boolean;
  messageServiceType: 'Normal' | 'Verifiable';
}

export interface MultichannelMessage {
  /** The idempotency key: a repeat is answered 409 and treated as already sent. */
  externalId: string;
  recipient: { id: string };
  sender: { serviceId: string };
  electronic: ElectronicPart;
  paperMail?: PaperMailPart;
}

export type SendResult = { outcome: 'sent'; messageId: string } | { outcome: 'already_sent'; messageId?: string };

export const MESSAGE_EVENT_TYPES = [
  'Electronic message created',
  'Electronic message read',
  'Receipt confirmed',
  'Paper mail created',
  'Sent for printing and enveloping',
  'Posti: receipt confirmed',
  'Posti: returned to sender',
  'Posti: unresolved',
] as const;
export type MessageEventType = (typeof MESSAGE_EVENT_TYPES)[number];

export interface MessageEvent {
  type: MessageEventType;
  eventTime: string;
  metadata: { messageId: string; externalId: string };
}

export interface EventPage {
  events: MessageEvent[];
  continuationToken: string;
}

export interface MessagesService {
  changePassword(currentPassword: string, newPassword: string): Promise<void>;
  /** The ids among `ids` that have an active mailbox; at most 10,000 a call. */
  activeMailboxes(ids: string[]): Promise<string[]>;
  uploadAttachment(file: { fileName: string; bytes: Buffer }): Promise<string>;
  sendMultichannel(message: MultichannelMessage): Promise<SendResult>;
  /** At most 1,000 events after `continuationToken` (from the start when omitted). */
  events(continuationToken?: string): Promise<EventPage>;
}

/**
 * A failed call. `retryable` is true for what may pass on a later attempt
 * (5xx, timeouts, refused connections, 429); a 4xx is the service saying
 * the request itself is wrong, and `reason` is its words for why.
 */
export class MessagesServiceError extends Error {
  override readonly name = 'MessagesServiceError';
  constructor(
    readonly status: number | 'timeout' | 'network' | 'invalid_answer',
    readonly reason: string,
    readonly retryable: boolean,
  ) {
    super(`Suomi.fi Messages: ${typeof status === 'number' ? `HTTP ${status}` : status}: ${reason}`);
  }
}
