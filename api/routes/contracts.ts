import { z } from 'zod';
import { createContractRequest } from '../../application/contractRequests';
import { type RouterContext } from '../apiDeps';
import { requesterOf, staffActor } from '../auth';
import { idempotencyKeyOf, recordId } from '../requestFields';
import { type ApiRoutes } from '../routeRegistry';

/** HR's side of employment contracts: send, follow, resend, extend, cancel, download. */

const text = (max: number) => z.string().trim().min(1).max(max);
const contractParams = z.object({ contractId: recordId });
const resendRequest = z.object({ participantId: text(64) });
const extendRequest = z
  .object({ deadline: z.iso.datetime({ offset: true }) })
  .refine((r) => Date.parse(r.deadline) > Date.now(), { path: ['deadline'], message: 'The deadline is in the past.' });
const cancelRequest = z.object({ reason: text(500) });

export function contractRoutes(routes: ApiRoutes, { services: { contracts, contractSigners, visibility } }: RouterContext): void {
  routes.add(
    {
      method: 'post',
      path: '/api/contracts/:contractId/signers/:participantId/unlock-identification',
      tag: 'contracts',
      roles: ['hr'],
      params: contractParams.extend({ participantId: text(64) }),
      summary: "Open a signer's link locked after too many refused identifications (check first who holds it).",
      responses: { 200: '{ unlocked: true }, or false when the link was not locked', 404: 'No such contract or signer' },
    },
    async ({ params }, req, res) => {
      await visibility.check(requesterOf(req), params.contractId);
      res.json(await contractSigners.unlockIdentification(params.contractId, params.participantId, requesterOf(req)));
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/api/contracts',
      tag: 'contracts',
      roles: ['hr'],
      body: createContractRequest,
      summary: 'Send an employment contract for signature, from the template (terms) or an uploaded PDF (documentVersionId).',
      responses: {
        201: 'Sent: { contractId, signers: [{ participantId, role, order }] } (the same for a retry with the same Idempotency-Key)',
        400: 'Fields to fix, each named',
        422: 'The uploaded document is not a usable PDF',
        503: 'Temporal unreachable: retry with the same Idempotency-Key after Retry-After',
      },
    },
    async ({ body }, req, res) => {
      res.status(201).json(await contracts.start(body, requesterOf(req), idempotencyKeyOf(req)));
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/api/contracts',
      tag: 'contracts',
      roles: ['hr'],
      summary: 'Every employment contract, newest first, with its state, who is awaited and the time left.',
      responses: { 200: '{ contracts: [...] }' },
    },
    async (_input, req, res) => {
      res.json({ contracts: await contracts.list(requesterOf(req)) });
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/api/contracts/:contractId',
      tag: 'contracts',
      roles: ['hr'],
      params: contractParams,
      summary: 'One contract: its state, signers and their progress, and its history (audit events).',
      responses: { 200: 'The contract', 404: 'No such contract' },
    },
    async ({ params }, req, res) => {
      await visibility.read(requesterOf(req), params.contractId, 'contract');
      res.json(await contracts.describe(params.contractId));
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/api/contracts/:contractId/resend',
      tag: 'contracts',
      roles: ['hr'],
      params: contractParams,
      body: resendRequest,
      summary: 'Send an invited signer a new invitation with a new link (the old link stops working).',
      responses: { 200: 'Sent', 404: 'No such contract or signer', 409: 'The signer is not awaited or signing has ended' },
    },
    async ({ params, body }, req, res) => {
      await visibility.check(requesterOf(req), params.contractId);
      res.json(await contracts.resend(params.contractId, body.participantId, staffActor(req.staff)));
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/api/contracts/:contractId/extend',
      tag: 'contracts',
      roles: ['hr'],
      params: contractParams,
      body: extendRequest,
      summary: 'Move the deadline later; every live link follows.',
      responses: { 200: 'Extended', 400: 'The deadline is not in the future', 409: 'Signing has ended' },
    },
    async ({ params, body }, req, res) => {
      await visibility.check(requesterOf(req), params.contractId);
      res.json(await contracts.extend(params.contractId, new Date(body.deadline), staffActor(req.staff)));
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/api/contracts/:contractId/cancel',
      tag: 'contracts',
      roles: ['hr'],
      params: contractParams,
      body: cancelRequest,
      summary: 'Cancel with a reason: links stop working and every signer and HR are told.',
      responses: { 200: 'Cancelled', 409: 'Signing has already ended' },
    },
    async ({ params, body }, req, res) => {
      await visibility.check(requesterOf(req), params.contractId);
      res.json(await contracts.cancel(params.contractId, body.reason, staffActor(req.staff)));
    },
  );

  for (const file of ['sealed', 'certificate'] as const) {
    routes.add(
      {
        method: 'get',
        path: `/api/contracts/:contractId/${file}.pdf`,
        tag: 'contracts',
        roles: ['hr'],
        params: contractParams,
        summary: file === 'sealed' ? 'The signed and sealed contract.' : 'The audit certificate on its own.',
        responses: { 200: 'The PDF', 404: 'No such contract', 409: 'Not signed by everyone yet' },
      },
      async ({ params }, req, res) => {
        await visibility.read(requesterOf(req), params.contractId, 'document');
        const document = await contracts.completedDocument(params.contractId, file);
        res.setHeader('Content-Type', 'application/pdf');
        res.setHeader('Content-Disposition', `attachment; filename="${file === 'sealed' ? 'contract' : 'audit-certificate'}.pdf"`);
        res.setHeader('X-Content-SHA256', document.sha256);
        res.send(document.bytes);
      },
    );
  }
}
