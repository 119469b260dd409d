import { defineUpdate, setHandler } from '@temporalio/workflow';

/**
 * What an admin may do to a round in any process: remind the awaited
 * people now, move the deadline, hand someone's turn to another person, or
 * cancel. Defined once here and registered once by every process that has
 * rounds (the employment contract's signing round, the minutes' checking and
 * signing rounds); the process routes each Update to the round that runs
 * now. The names are the ones running processes and recorded histories
 * carry, so they must not change; fields may only be added as optional.
 */

export interface AdminRequest {
  actor: string;
  /** Why, in the admin's words; it goes to the audit log (histories from before it was sent lack it). */
  reason?: string;
}

export interface DeadlineExtension extends AdminRequest {
  deadlineAt: string;
}

/**
 * The person is stored outside the workflow first (see admin/adminActions.ts);
 * the round is given only the new participant id.
 */
export interface Reassignment extends AdminRequest {
  participantId: string;
  replacementId: string;
  reason: string;
}

/** One participant of a round as the admin sees it after an action. */
export interface ParticipantStanding {
  participantId: string;
  role: string;
  status: string;
  remindersSent: number;
  lastRemindedAt?: string;
  /** The participant this one took over from. */
  replaces?: string;
}

/** What every admin Update answers: the round that received it, as it stands after the action. */
export interface RoundStanding {
  round: 'checking' | 'signing';
  status: 'open' | 'ended';
  deadlineAt: string;
  /** Participant ids whose action is awaited now. */
  awaited: string[];
  participants: ParticipantStanding[];
}

/** An admin's "send the reminder now": whoever is awaited gets one at once. */
export const remindNowUpdate = defineUpdate<RoundStanding, [AdminRequest]>('remindNow');
export const extendDeadlineUpdate = defineUpdate<RoundStanding, [DeadlineExtension]>('extendDeadline');
export const reassignParticipantUpdate = defineUpdate<RoundStanding, [Reassignment]>('reassignParticipant');
export const cancelUpdate = defineUpdate<RoundStanding, [AdminRequest]>('cancel');

/** One admin action as a round implements it: the validator refuses by throwing a named rejection. */
export interface AdminAction<Request> {
  validate(request: Request): void;
  run(request: Request): RoundStanding | Promise<RoundStanding>;
}

/** The admin actions a round supports. */
export interface AdminActionsOfRound {
  remindNow: AdminAction<AdminRequest>;
  extendDeadline: AdminAction<DeadlineExtension>;
  reassignParticipant: AdminAction<Reassignment>;
  cancel: AdminAction<AdminRequest>;
}

/**
 * Registers the four admin Updates once, at the top of the workflow. Each
 * goes to the round `current()` names when it arrives, so a process with
 * several rounds never swaps handlers.
 */
export function registerAdminUpdates(current: () => AdminActionsOfRound): void {
  setHandler(remindNowUpdate, (request) => current().remindNow.run(request), {
    validator: (request) => current().remindNow.validate(request),
  });
  setHandler(extendDeadlineUpdate, (request) => current().extendDeadline.run(request), {
    validator: (request) => current().extendDeadline.validate(request),
  });
  setHandler(reassignParticipantUpdate, (request) => current().reassignParticipant.run(request), {
    validator: (request) => current().reassignParticipant.validate(request),
  });
  setHandler(cancelUpdate, (request) => current().cancel.run(request), { validator: (request) => current().cancel.validate(request) });
}
