import { WEBHOOK_EVENT_TYPES } from './eventTypes';

/**
 * The webhooks section of /openapi.json (OpenAPI 3.1 `webhooks`): one entry
 * per event type, each with its payload schema and the Standard Webhooks
 * headers a receiver verifies. Added to the document the route registry
 * builds, so it lists exactly the event types the code publishes.
 */

const SIGNATURE_HEADERS = [
  {
    name: 'webhook-id',
    description: 'The message id: the same on every retry and redelivery of this event to this subscription. Deduplicate by it.',
  },
  { name: 'webhook-timestamp', description: 'Unix seconds when this attempt was sent; refuse messages more than 5 minutes off.' },
  {
    name: 'webhook-signature',
    description:
      "\"v1,<base64 HMAC-SHA256 of '{webhook-id}.{webhook-timestamp}.{body}'>\" with the subscription's secret (whsec_…), space-separated when several.",
  },
].map(({ name, description }) => ({ name, in: 'header', required: true, description, schema: { type: 'string' } }));

const EVENT_DATA_SCHEMA = {
  type: 'object',
  description: 'Ids and links only: no names, identity codes or e-mail addresses. Fetch details through the API with a staff token.',
  required: ['eventId', 'processId', 'processType', 'links'],
  additionalProperties: false,
  properties: {
    eventId: { type: 'string', description: 'The audit event this message reports.' },
    processId: { type: 'string' },
    processType: { type: 'string', enum: [...new Set(Object.values(WEBHOOK_EVENT_TYPES).map((t) => t.processType))] },
    participantId: { type: 'string', description: 'The signer or checker the event is about, as the API names them.' },
    documentSha256: { type: 'string', pattern: '^[0-9a-f]{64}$' },
    links: {
      type: 'object',
      required: ['process'],
      additionalProperties: false,
      properties: { process: { type: 'string', format: 'uri' } },
    },
  },
};

export function webhooksOpenApi(): { webhooks: Record<string, unknown>; schemas: Record<string, unknown> } {
  const schemas: Record<string, unknown> = { WebhookEventData: EVENT_DATA_SCHEMA };
  const webhooks: Record<string, unknown> = {};
  for (const [type, { description }] of Object.entries(WEBHOOK_EVENT_TYPES)) {
    const schemaName = `WebhookEvent_${type.replace(/\./g, '_')}`;
    schemas[schemaName] = {
      type: 'object',
      required: ['type', 'timestamp', 'data'],
      additionalProperties: false,
      properties: {
        type: { const: type },
        timestamp: { type: 'string', format: 'date-time', description: 'When the event happened.' },
        data: { $ref: '#/components/schemas/WebhookEventData' },
      },
    };
    webhooks[type] = {
      post: {
        summary: description,
        tags: ['webhooks'],
        parameters: SIGNATURE_HEADERS,
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: `#/components/schemas/${schemaName}` } } } },
        responses: {
          '2XX': {
            description:
              'Received. Anything else, or no answer within the timeout, is retried with exponential backoff for at least 72 hours, then dead-lettered.',
          },
        },
      },
    };
  }
  return { webhooks, schemas };
}

/** Adds the webhooks section and its schemas to an OpenAPI document built elsewhere. */
export function addWebhooksToOpenApi(document: object): void {
  const doc = document as { webhooks?: Record<string, unknown>; components?: { schemas?: Record<string, unknown> } };
  const { webhooks, schemas } = webhooksOpenApi();
  doc.webhooks = { ...doc.webhooks, ...webhooks };
  doc.components ??= {};
  doc.components.schemas = { ...doc.components.schemas, ...schemas };
}
