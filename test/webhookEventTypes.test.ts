import fs from 'node:fs';
import path from 'node:path';
import { ADMIN_ACTIONS } from '../admin/adminActions';
import { AUDIT_ACTION_DECISIONS, WEBHOOK_EVENT_TYPES, webhookEventTypeOf } from '../integrations/webhooks/eventTypes';
import { webhookEventOf, webhookPayload } from '../integrations/webhooks/webhookPayload';
import { webhooksOpenApi } from '../integrations/webhooks/openApiWebhooks';

/**
 * Every audit action a process writes has a webhook decision
 * (integrations/webhooks/eventTypes.ts): the action strings are read from
 * the source itself, so a new milestone without a decision fails here.
 */

const ROOT = path.resolve(__dirname, '..');
const SKIPPED_DIRS = new Set([
  'node_modules',
  'test',
  'data',
  'dist',
  'docs',
  'examples',
  'bench',
  'scripts',
  '.tools',
  '.git',
  path.join('integrations', 'webhooks'),
]);
const ACTION = /['`]((?:contract|minutes|application|case|decision|rectification|payment|letter|document|process|admin)\.[a-z_]+)['`]/g;
/** Strings of the same shape that are not audit actions. */
const NOT_ACTIONS = new Set(['document.pdf']);

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return SKIPPED_DIRS.has(path.relative(ROOT, full)) || entry.name.startsWith('.') ? [] : sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** The literal action strings, and the ones built from a template (`letter.${status}`, `minutes.${ending}`, `admin.${action}`). */
function auditActionsInSource(): Set<string> {
  const actions = new Set<string>();
  for (const file of sourceFiles(ROOT)) {
    for (const match of fs.readFileSync(file, 'utf8').matchAll(ACTION)) if (!NOT_ACTIONS.has(match[1])) actions.add(match[1]);
  }
  const letters = fs.readFileSync(path.join(ROOT, 'store', 'letters.ts'), 'utf8');
  const statusUnion = /export type LetterStatus =([^;]+);/.exec(letters)?.[1] ?? '';
  for (const [, status] of statusUnion.matchAll(/'([a-z_]+)'/g)) actions.add(`letter.${status}`);
  const minutes = fs.readFileSync(path.join(ROOT, 'workflows', 'minutesReview.ts'), 'utf8');
  const endings = /ending: ((?:'[a-z_]+'(?: \| )?)+)/.exec(minutes)?.[1] ?? '';
  for (const [, ending] of endings.matchAll(/'([a-z_]+)'/g)) actions.add(`minutes.${ending}`);
  for (const action of ADMIN_ACTIONS) actions.add(`admin.${action}`);
  return actions;
}

describe('webhook event types', () => {
  const actions = auditActionsInSource();

  it('finds the audit actions in the source (the scan works)', () => {
    expect(actions.size).toBeGreaterThan(60);
    for (const known of [
      'contract.signed',
      'minutes.published',
      'decision.final',
      'letter.returned_to_sender',
      'minutes.cancelled',
      'admin.cancel',
    ])
      expect(actions).toContain(known);
  });

  it('every audit action has a decision: published as a webhook event type, or internal with a reason', () => {
    const undecided = [...actions].filter((action) => !(action in AUDIT_ACTION_DECISIONS));
    expect(undecided).toEqual([]);
  });

  it('every event type is published by some audit action, and every decision names a real type', () => {
    const published = new Set(Object.keys(AUDIT_ACTION_DECISIONS).map(webhookEventTypeOf).filter(Boolean));
    expect([...published].sort()).toEqual(Object.keys(WEBHOOK_EVENT_TYPES).sort());
  });

  it("the issue's milestones are there", () => {
    for (const type of [
      'contract.sent',
      'contract.viewed',
      'contract.signer_signed',
      'contract.declined',
      'contract.expired',
      'contract.cancelled',
      'contract.completed',
      'minutes.in_review',
      'minutes.correction_requested',
      'minutes.approved',
      'minutes.signed',
      'minutes.published',
      'minutes.final',
      'application.received',
      'application.registered',
      'application.supplementation_requested',
      'application.decision_signed',
      'application.notified',
      'application.final',
      'application.paid',
      'letter.accepted',
      'letter.delivered_electronically',
      'letter.returned',
      'letter.unresolved',
    ])
      expect(WEBHOOK_EVENT_TYPES).toHaveProperty([type]);
  });

  it('a payload carries ids and links only: a staff name, details and addresses stay out', () => {
    const event = webhookEventOf(
      {
        eventId: 'contract-1/x',
        processId: 'contract-1',
        actor: 'staff:hr:Hanna Hämäläinen',
        action: 'contract.invited',
        at: new Date('2026-11-30T10:00:00Z'),
        ip: '10.0.0.1',
        details: { participantId: 'signer-2', email: 'maija@example.org', name: 'Maija' },
      },
      'contract.sent',
    );
    const payload = webhookPayload(event, 'https://sinetti.example.org');
    expect(payload).toEqual({
      type: 'contract.sent',
      timestamp: '2026-11-30T10:00:00.000Z',
      data: {
        eventId: 'contract-1/x',
        processId: 'contract-1',
        processType: 'employmentContract',
        participantId: 'signer-2',
        links: { process: 'https://sinetti.example.org/api/processes/contract-1' },
      },
    });
    const { schemas } = webhooksOpenApi();
    expect(Object.keys((schemas.WebhookEventData as { properties: object }).properties).sort()).toEqual(
      Object.keys(payload.data).concat('documentSha256').sort(),
    );
  });
});
