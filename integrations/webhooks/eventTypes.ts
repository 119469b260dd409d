/**
 * Which audit actions become webhook events, in one table. Every action a
 * process writes to its audit trail has a decision here: the webhook event
 * type it is published as, or `null` with the reason it stays internal.
 * test/webhookEventTypes.test.ts reads the source for audit actions and
 * fails for one without a decision, so a new milestone cannot be silently
 * left out.
 */

export interface WebhookEventType {
  /** What a receiver reads in the OpenAPI document. */
  description: string;
  /** The Sinetti process the event belongs to. */
  processType: WebhookProcessType;
}

/** `process`: any process; the stuck watch's events (data.links.process says which). */
export type WebhookProcessType = 'employmentContract' | 'minutesReview' | 'application' | 'officialLetter' | 'document' | 'process';

export const WEBHOOK_EVENT_TYPES = {
  'contract.created': {
    processType: 'employmentContract',
    description: 'HR created an employment contract; the document is being prepared.',
  },
  'contract.sent': {
    processType: 'employmentContract',
    description: 'A signer was invited to sign (data.participantId). Sequential contracts send one of these per signer, in order.',
  },
  'contract.viewed': { processType: 'employmentContract', description: 'A signer opened the signing page (data.participantId).' },
  'contract.signer_signed': {
    processType: 'employmentContract',
    description: 'A signer signed (data.participantId); data.documentSha256 is the signed version.',
  },
  'contract.declined': { processType: 'employmentContract', description: 'A signer declined; the contract ends unsigned.' },
  'contract.expired': { processType: 'employmentContract', description: 'The signing deadline passed before everyone signed.' },
  'contract.cancelled': { processType: 'employmentContract', description: 'HR or an admin cancelled the contract.' },
  'contract.completed': {
    processType: 'employmentContract',
    description: 'Everyone signed; the sealed contract is delivered and archived (data.documentSha256).',
  },
  'minutes.in_review': { processType: 'minutesReview', description: 'A round of checking opened on a version of the minutes.' },
  'minutes.correction_requested': { processType: 'minutesReview', description: 'A checker asked for corrections (data.participantId).' },
  'minutes.approved': { processType: 'minutesReview', description: 'Every checker approved the version; signing begins.' },
  'minutes.signed': {
    processType: 'minutesReview',
    description: 'The chair and the checkers signed and the minutes are sealed (data.documentSha256).',
  },
  'minutes.published': {
    processType: 'minutesReview',
    description: 'The checked minutes are public online; the rectification period runs.',
  },
  'minutes.final': { processType: 'minutesReview', description: 'The rectification period ended; the minutes are final.' },
  'minutes.signing_declined': { processType: 'minutesReview', description: 'A signer declined to sign (data.participantId).' },
  'minutes.cancelled': { processType: 'minutesReview', description: 'The review was cancelled.' },
  'minutes.expired': { processType: 'minutesReview', description: 'The review ran out of time.' },
  'application.received': { processType: 'application', description: 'An applicant submitted an application.' },
  'application.registered': { processType: 'application', description: 'The registry gave the case its number.' },
  'application.supplementation_requested': {
    processType: 'application',
    description: 'The handler asked the applicant for more information.',
  },
  'application.decision_signed': { processType: 'application', description: 'The decision was signed (data.documentSha256).' },
  'application.notified': {
    processType: 'application',
    description: 'The decision was sent to the applicant; the rectification period runs from the deemed notification.',
  },
  'application.rectification_requested': {
    processType: 'application',
    description: 'The applicant asked for rectification of the decision.',
  },
  'application.rectification_decision_signed': {
    processType: 'application',
    description: 'The decision on the rectification request was signed.',
  },
  'application.final': {
    processType: 'application',
    description: 'The decision became final (no rectification request in time, or it was resolved).',
  },
  'application.paid': { processType: 'application', description: 'The payment was ordered from the finance system.' },
  'letter.accepted': { processType: 'officialLetter', description: 'Suomi.fi Messages accepted the letter (electronic or paper).' },
  'letter.delivered_electronically': {
    processType: 'officialLetter',
    description: 'The recipient read the electronic letter or confirmed its receipt.',
  },
  'letter.delivered_by_post': { processType: 'officialLetter', description: 'Posti confirmed the paper letter delivered.' },
  'letter.returned': {
    processType: 'officialLetter',
    description: "Posti returned the paper letter to the sender; it is on the registry's work list.",
  },
  'letter.unresolved': {
    processType: 'officialLetter',
    description: "Posti could not deliver the paper letter; it is on the registry's work list.",
  },
  'letter.not_sent': {
    processType: 'officialLetter',
    description: 'The letter could not be sent (no channel, or refused by the service).',
  },
  'document.sealed': { processType: 'document', description: "A document was sealed with the organisation's seal." },
  'process.stuck': {
    processType: 'process',
    description:
      "The process joined the admin's stuck list (past its deadline, a step failing again and again, or no progress for days). Sent once per episode.",
  },
  'process.recovered': {
    processType: 'process',
    description: "The process left the stuck list: it moved again or ended. Follows the episode's process.stuck once.",
  },
} as const satisfies Record<string, WebhookEventType>;

export type WebhookEventTypeName = keyof typeof WEBHOOK_EVENT_TYPES;

/** An audit action's decision: published as a webhook event type, or kept internal for the reason given. */
type Decision = WebhookEventTypeName | { internal: string };

const STEP = { internal: 'an internal step; its outcome is published by the milestone that follows' };
const REPEAT = { internal: 'a reminder or re-send; receivers learn nothing new' };
const ADMIN = { internal: 'an admin action; its effect is published as the milestone it causes' };
const SECURITY = { internal: 'signer identification detail; kept to the audit trail' };

export const AUDIT_ACTION_DECISIONS: Record<string, Decision> = {
  'contract.created': 'contract.created',
  'contract.prepared': STEP,
  'contract.invited': 'contract.sent',
  'contract.reminded': REPEAT,
  'contract.viewed': 'contract.viewed',
  'contract.code_sent': SECURITY,
  'contract.code_refused': SECURITY,
  'contract.identified': SECURITY,
  'contract.identification_refused': SECURITY,
  'contract.identification_locked': SECURITY,
  'contract.identification_unlocked': SECURITY,
  'contract.verified': SECURITY,
  'contract.verification_failed': SECURITY,
  'contract.signed': 'contract.signer_signed',
  'contract.declined': 'contract.declined',
  'contract.reassigned': STEP,
  'contract.deadline_extended': STEP,
  'contract.all_signed': STEP,
  'contract.sealed': STEP,
  'contract.delivered': STEP,
  'contract.archived': 'contract.completed',
  'contract.cancelled': 'contract.cancelled',
  'contract.expired': 'contract.expired',

  'minutes.created': STEP,
  // The chair's and secretary's strong identification (verification/identityMatch.ts, the action built from the process kind).
  'minutes.identified': SECURITY,
  'minutes.identification_refused': SECURITY,
  'minutes.identification_locked': SECURITY,
  'minutes.identification_unlocked': SECURITY,
  'minutes.version_uploaded': STEP,
  'minutes.viewed': STEP,
  'minutes.invited': STEP,
  'minutes.reminded': REPEAT,
  'minutes.reminded_now': REPEAT,
  'minutes.participant_reassigned': STEP,
  'minutes.deadline_extended': STEP,
  'minutes.round_opened': 'minutes.in_review',
  'minutes.version_submitted': STEP,
  'minutes.checker_approved': STEP,
  'minutes.corrections_requested': 'minutes.correction_requested',
  'minutes.approved_by_all': 'minutes.approved',
  'minutes.checking_overdue': STEP,
  'minutes.signature_fields_added': STEP,
  'minutes.signing_declined': 'minutes.signing_declined',
  'minutes.signed': STEP,
  'minutes.checked_signature': STEP,
  'minutes.sealed': 'minutes.signed',
  'minutes.published': 'minutes.published',
  'minutes.final': 'minutes.final',
  'minutes.archived': STEP,
  'minutes.cancelled': 'minutes.cancelled',
  'minutes.expired': 'minutes.expired',
  'minutes.declined': 'minutes.signing_declined',

  'application.submitted': 'application.received',
  'case.registered': 'application.registered',
  'case.supplementation_requested': 'application.supplementation_requested',
  'case.supplemented': STEP,
  'case.supplementation_overdue': STEP,
  'decision.drafted': STEP,
  'decision.signed': 'application.decision_signed',
  'decision.notified': 'application.notified',
  'decision.final': 'application.final',
  'rectification.requested': 'application.rectification_requested',
  'rectification.decision_drafted': STEP,
  'rectification.decision_signed': 'application.rectification_decision_signed',
  'rectification.decision_notified': STEP,
  'rectification.resolved': STEP,
  'payment.ordered': 'application.paid',
  'case.archived': STEP,

  'letter.created': STEP,
  'letter.sent': 'letter.accepted',
  'letter.read': 'letter.delivered_electronically',
  'letter.receipt_confirmed': 'letter.delivered_electronically',
  'letter.delivered': 'letter.delivered_by_post',
  'letter.returned_to_sender': 'letter.returned',
  'letter.unresolved': 'letter.unresolved',
  'letter.unconfirmed': { internal: "no final event came within the tracking time; shown on the registry's list" },
  'letter.no_channel': 'letter.not_sent',
  'letter.rejected': 'letter.not_sent',
  'letter.failed': 'letter.not_sent',

  'document.uploaded': STEP,
  'document.sealed': 'document.sealed',

  'process.stuck': 'process.stuck',
  'process.recovered': 'process.recovered',

  'admin.remind': ADMIN,
  'admin.extend': ADMIN,
  'admin.reassign': ADMIN,
  'admin.cancel': ADMIN,
  'admin.retry': ADMIN,
};

/** The webhook event type an audit action is published as, or undefined when it stays internal (or is unknown). */
export function webhookEventTypeOf(action: string): WebhookEventTypeName | undefined {
  const decision = AUDIT_ACTION_DECISIONS[action];
  return typeof decision === 'string' ? decision : undefined;
}

export function isWebhookEventType(name: string): name is WebhookEventTypeName {
  return Object.prototype.hasOwnProperty.call(WEBHOOK_EVENT_TYPES, name);
}
