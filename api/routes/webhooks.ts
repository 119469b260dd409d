import { z } from 'zod';
import { loadPayloadCodec } from '../../common/payloadKeys';
import { ConflictError } from '../../common/errors';
import { WEBHOOK_EVENT_TYPES, type WebhookEventTypeName } from '../../integrations/webhooks/eventTypes';
import { handOverDeliveries } from '../../integrations/webhooks/dispatcher';
import { WebhookDeliveries } from '../../store/webhookDeliveries';
import { WebhookSubscriptions } from '../../store/webhookSubscriptions';
import { type ApiDeps } from '../apiDeps';
import { staffActor } from '../auth';
import { recordId } from '../requestFields';
import { type ApiRoutes } from '../routeRegistry';

/** Admins' webhook levers: subscriptions (the secret shown once), the delivery log, the dead letters and their redelivery. */

const eventTypeNames = Object.keys(WEBHOOK_EVENT_TYPES) as [WebhookEventTypeName, ...WebhookEventTypeName[]];

const subscriptionRequest = z.object({
  url: z.url({ protocol: /^https?$/, error: 'an http:// or https:// address the receiver listens on' }),
  eventTypes: z
    .array(z.enum(eventTypeNames, { error: `one of: ${eventTypeNames.join(', ')}` }))
    .min(1, 'name at least one event type (GET /api/admin/webhooks/event-types lists them)'),
  description: z.string().trim().max(200).optional(),
});

const deliveryQuery = z.object({
  status: z.enum(['pending', 'delivered', 'dead']).optional(),
  subscriptionId: z.string().max(100).optional(),
  processId: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export function webhookRoutes(routes: ApiRoutes, deps: ApiDeps): void {
  const subscriptions = new WebhookSubscriptions(loadPayloadCodec(deps.config));
  const deliveries = new WebhookDeliveries();

  routes.add(
    {
      method: 'get',
      path: '/api/admin/webhooks/event-types',
      tag: 'webhooks',
      roles: ['admin'],
      summary:
        'The event types a subscription can ask for, each with what it means (payload schemas: the webhooks section of this document).',
      responses: { 200: '{ eventTypes: [{ type, processType, description }] }' },
    },
    (_input, _req, res) => {
      res.json({ eventTypes: Object.entries(WEBHOOK_EVENT_TYPES).map(([type, t]) => ({ type, ...t })) });
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/api/admin/webhooks/subscriptions',
      tag: 'webhooks',
      roles: ['admin'],
      body: subscriptionRequest,
      summary:
        'Subscribe a receiver to event types. The answer holds the signing secret (whsec_…): shown this once, keep it in the receiver.',
      responses: { 201: '{ subscription, secret }', 400: 'Invalid URL or unknown event type' },
    },
    async ({ body }, req, res) => {
      const created = await subscriptions.create({ ...body, createdBy: staffActor(req.staff) });
      res.status(201).json(created);
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/api/admin/webhooks/subscriptions',
      tag: 'webhooks',
      roles: ['admin'],
      summary: 'Every subscription (without secrets).',
      responses: { 200: '{ subscriptions }' },
    },
    async (_input, _req, res) => {
      res.json({ subscriptions: await subscriptions.list() });
    },
  );

  routes.add(
    {
      method: 'delete',
      path: '/api/admin/webhooks/subscriptions/:subscriptionId',
      tag: 'webhooks',
      roles: ['admin'],
      params: z.object({ subscriptionId: recordId }),
      summary: 'Stop a subscription: no new events; deliveries under way stop at their next attempt.',
      responses: { 200: '{ subscription }', 404: 'No such subscription' },
    },
    async ({ params: { subscriptionId } }, _req, res) => {
      await subscriptions.deactivate(subscriptionId);
      res.json({ subscription: await subscriptions.get(subscriptionId) });
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/api/admin/webhooks/deliveries',
      tag: 'webhooks',
      roles: ['admin'],
      query: deliveryQuery,
      summary:
        'The delivery log, newest first: status, attempts, last HTTP status, latency (query: status, subscriptionId, processId, limit).',
      responses: { 200: '{ deliveries }', 400: 'Invalid filter' },
    },
    async ({ query }, _req, res) => {
      res.json({ deliveries: await deliveries.list(query) });
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/api/admin/webhooks/dead-letters',
      tag: 'webhooks',
      roles: ['admin'],
      query: deliveryQuery,
      summary: 'Deliveries whose retries ran out, newest first; each can be redelivered.',
      responses: { 200: '{ deadLetters }' },
    },
    async ({ query: { limit, subscriptionId } }, _req, res) => {
      res.json({ deadLetters: await deliveries.list({ status: 'dead', subscriptionId, limit }) });
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/api/admin/webhooks/dead-letters/:webhookId/redeliver',
      tag: 'webhooks',
      roles: ['admin'],
      params: z.object({ webhookId: recordId }),
      summary: 'Deliver a dead-lettered event again, under the same webhook-id, with a fresh retry schedule.',
      responses: {
        202: '{ delivery }: queued',
        404: 'No such delivery',
        409: 'Not dead-lettered (already delivered or still being tried)',
      },
    },
    async ({ params: { webhookId } }, _req, res) => {
      const before = await deliveries.get(webhookId);
      if (before.status !== 'dead')
        throw new ConflictError(
          'not_dead_lettered',
          `Delivery ${webhookId} is ${before.status}; only dead-lettered deliveries are redelivered.`,
        );
      const delivery = await deliveries.reopen(webhookId);
      await handOverDeliveries(deps.temporal, deps.config, delivery.subscriptionId, [
        { deliveryId: webhookId, processId: delivery.event.processId, redeliver: true },
      ]);
      res.status(202).json({ delivery });
    },
  );
}
