import { z } from 'zod';

/**
 * Official mail settings: where Suomi.fi Messages and the population
 * register are, what each channel costs, and how fast batches go. With the
 * URLs unset, the local simulators of both services are used; pointing the
 * URLs and credentials at the services' test environments is the only
 * change needed to use the real ones.
 */
const environment = z.object({
  SUOMIFI_MESSAGES_URL: z.string().url().optional(),
  SUOMIFI_MESSAGES_USERNAME: z.string().default('sinetti-simulator'),
  SUOMIFI_MESSAGES_PASSWORD: z.string().default('simulator-password'),
  /** The sender's service id in Suomi.fi Messages. */
  SUOMIFI_SERVICE_ID: z.string().default('sinetti-dev-service'),
  /** Credentials of the print, envelope and delivery service contract. */
  SUOMIFI_PRINT_USERNAME: z.string().default('print-user'),
  SUOMIFI_PRINT_PASSWORD: z.string().default('print-password'),
  SUOMIFI_PRINT_CONTACT_EMAIL: z.string().default('kirjaamo@example.org'),
  /** The registry's return address on paper mail, "street;postal code;city". */
  LETTER_SENDER_ADDRESS: z.string().default('Kunnantalontie 1;00100;HELSINKI'),
  SUOMIFI_REQUEST_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  SUOMIFI_SIMULATOR_PORT: z.coerce.number().int().default(8810),
  /** How long the simulator takes between two delivery events of one message. */
  SUOMIFI_SIMULATOR_EVENT_STEP_MS: z.coerce.number().int().nonnegative().default(5_000),
  /** The service's limit for one paper-mail PDF. */
  LETTER_MAX_PDF_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(10 * 1024 * 1024),
  VTJ_URL: z.string().url().optional(),
  VTJ_USERNAME: z.string().default('sinetti-simulator'),
  VTJ_PASSWORD: z.string().default('simulator-password'),
  /** The end user named in register queries: the registry office. */
  VTJ_END_USER: z.string().default('kirjaamo'),
  VTJ_SIMULATOR_PORT: z.coerce.number().int().default(8811),
  /** Prices in euro cents: an electronic message, and a printed letter in a C5 (1–9 sheets) or C4 (10–60 sheets) envelope. */
  LETTER_PRICE_ELECTRONIC_CENTS: z.coerce.number().int().nonnegative().default(10),
  LETTER_PRICE_PAPER_C5_CENTS: z.coerce.number().int().nonnegative().default(120),
  LETTER_PRICE_PAPER_C4_CENTS: z.coerce.number().int().nonnegative().default(250),
  /** The event poller's pause between reads of /v2/events. */
  LETTER_EVENT_POLL_INTERVAL_MS: z.coerce.number().int().positive().default(30_000),
  /** How long a letter is followed before it is closed as unconfirmed (the service keeps events 60 days). */
  LETTER_TRACKING_DAYS: z.coerce.number().positive().default(60),
  LETTER_BATCH_PAGE_SIZE: z.coerce.number().int().min(1).max(1000).default(250),
  /** Letters per second a batch sends toward the service. */
  LETTER_BATCH_RATE_PER_SECOND: z.coerce.number().positive().default(100),
  LETTER_BATCH_MAX_ROWS: z.coerce.number().int().positive().default(20_000),
  /** Letters of one batch page in flight at once toward the register and Suomi.fi Messages. */
  LETTER_BATCH_SEND_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(24),
});

export interface OfficialMailConfig {
  messages: {
    url: string;
    embedded: boolean;
    simulatorPort: number;
    simulatorEventStepMs: number;
    username: string;
    password: string;
    serviceId: string;
    timeoutMs: number;
    print: { username: string; password: string; contactEmail: string };
  };
  populationRegister: { url: string; embedded: boolean; simulatorPort: number; username: string; password: string; endUser: string };
  senderAddress: { street: string; postalCode: string; city: string };
  maxPdfBytes: number;
  pricesCents: { electronic: number; paperC5: number; paperC4: number };
  eventPollIntervalMs: number;
  trackingDays: number;
  batch: { pageSize: number; ratePerSecond: number; maxRows: number; sendConcurrency: number };
}

export function loadOfficialMailConfig(env: NodeJS.ProcessEnv): OfficialMailConfig {
  const parsed = environment.safeParse(env);
  if (!parsed.success) {
    throw new Error(`Invalid configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const e = parsed.data;
  return {
    messages: {
      url: e.SUOMIFI_MESSAGES_URL ?? `http://127.0.0.1:${e.SUOMIFI_SIMULATOR_PORT}`,
      embedded: !e.SUOMIFI_MESSAGES_URL,
      simulatorPort: e.SUOMIFI_SIMULATOR_PORT,
      simulatorEventStepMs: e.SUOMIFI_SIMULATOR_EVENT_STEP_MS,
      username: e.SUOMIFI_MESSAGES_USERNAME,
      password: e.SUOMIFI_MESSAGES_PASSWORD,
      serviceId: e.SUOMIFI_SERVICE_ID,
      timeoutMs: e.SUOMIFI_REQUEST_TIMEOUT_MS,
      print: { username: e.SUOMIFI_PRINT_USERNAME, password: e.SUOMIFI_PRINT_PASSWORD, contactEmail: e.SUOMIFI_PRINT_CONTACT_EMAIL },
    },
    populationRegister: {
      url: e.VTJ_URL ?? `http://127.0.0.1:${e.VTJ_SIMULATOR_PORT}/vtj`,
      embedded: !e.VTJ_URL,
      simulatorPort: e.VTJ_SIMULATOR_PORT,
      username: e.VTJ_USERNAME,
      password: e.VTJ_PASSWORD,
      endUser: e.VTJ_END_USER,
    },
    senderAddress: (([street, postalCode, city]) => ({ street: street ?? '', postalCode: postalCode ?? '', city: city ?? '' }))(
      e.LETTER_SENDER_ADDRESS.split(';').map((p) => p.trim()),
    ),
    maxPdfBytes: e.LETTER_MAX_PDF_BYTES,
    pricesCents: {
      electronic: e.LETTER_PRICE_ELECTRONIC_CENTS,
      paperC5: e.LETTER_PRICE_PAPER_C5_CENTS,
      paperC4: e.LETTER_PRICE_PAPER_C4_CENTS,
    },
    eventPollIntervalMs: e.LETTER_EVENT_POLL_INTERVAL_MS,
    trackingDays: e.LETTER_TRACKING_DAYS,
    batch: {
      pageSize: e.LETTER_BATCH_PAGE_SIZE,
      ratePerSecond: e.LETTER_BATCH_RATE_PER_SECOND,
      maxRows: e.LETTER_BATCH_MAX_ROWS,
      sendConcurrency: e.LETTER_BATCH_SEND_CONCURRENCY,
    },
  };
}
