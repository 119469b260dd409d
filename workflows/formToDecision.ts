import { ApplicationFailure, type RetryPolicy } from '@temporalio/common';
import {
  allHandlersFinished,
  condition,
  defineQuery,
  defineUpdate,
  ParentClosePolicy,
  proxyActivities,
  setHandler,
  sleep,
  patched,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { ApplicationActivities } from '../activities/applicationActivities';
import type { DocumentActivities } from '../activities/documentActivities';
import type { DecisionOutcome } from '../store/applications';
import { type LetterDispatch, letterDispatchedSignal, officialLetterWorkflow } from './officialLetter';
import { showProcess, showStep } from './processView';
import { QUICK_TRIES, throughTimestampOutages } from './timestampServiceOutage';
import { CaseNumber, NameTokens } from './searchAttributes';
import { declareVersioning } from './versioningBehavior';

/**
 * From an e-form to a final decision (lomakkeesta päätökseen), as the case
 * handler and the applicant live it: the application is checked and
 * registered as a case, the applicant gets an acknowledgement with the case
 * number, the handler checks that it is complete and may ask for
 * supplementation by a deadline, drafts the decision, the decision-maker
 * signs it, it goes to the applicant as official mail, the rectification
 * period runs from the notification date, and a final decision that grants
 * money goes to payment. Last the case is archived.
 *
 * The history holds the application id, roles, amounts and dates: what the
 * applicant wrote stays in the application record.
 */

export interface FormToDecisionInput {
  applicationId: string;
  organization: string;
  /** How long the decision letter's delivery is followed (the letter process outlives this one if need be). */
  letterTrackingDays: number;
}

export type ApplicationStatus =
  | 'checking'
  | 'registering'
  | 'awaiting_decision'
  | 'awaiting_supplementation'
  | 'supplementation_overdue'
  | 'drafting'
  | 'awaiting_signature'
  | 'notifying'
  | 'notification_failed'
  | 'rectification_period'
  | 'rectification_requested'
  | 'appeal_period'
  | 'paying'
  | 'archiving'
  | 'completed';

export interface DecisionDraft {
  outcome: DecisionOutcome;
  amount: string;
  reasoning: string;
}

export interface FormToDecisionState {
  status: ApplicationStatus;
  caseNumber?: string;
  amountApplied?: string;
  supplementation?: { fields: string[]; deadlineAt: string; answered: boolean };
  decision?: DecisionDraft & { decidedOn: string; versionId?: string; signedBy?: string };
  notification?: { channel: string; sentAt: string; notifiedOn: string; periodLastDay: string; periodEndsAt: string };
  rectification?: { receivedAt: string; resolution?: 'upheld' | 'corrected'; versionId?: string; appealPeriodLastDay?: string };
  final?: boolean;
  paymentId?: string;
  archiveId?: string;
}

export interface StaffAct {
  actor: string;
}
export interface SupplementationRequest extends StaffAct {
  fields: string[];
  message: string;
  deadlineAt: string;
}
export interface RectificationResolution extends StaffAct {
  resolution: 'upheld' | 'corrected';
  outcome?: DecisionOutcome;
  amount?: string;
  reasoning: string;
}

export const applicationStateQuery = defineQuery<FormToDecisionState>('state');
export const requestSupplementationUpdate = defineUpdate<FormToDecisionState, [SupplementationRequest]>('requestSupplementation');
export const supplementedUpdate = defineUpdate<FormToDecisionState, [{ answeredAt: string }]>('supplemented');
export const draftDecisionUpdate = defineUpdate<FormToDecisionState, [DecisionDraft & StaffAct]>('draftDecision');
export const signDecisionUpdate = defineUpdate<FormToDecisionState, [StaffAct & { signerName: string }]>('signDecision');
export const rectificationRequestUpdate = defineUpdate<FormToDecisionState, [{ receivedAt: string }]>('rectificationRequest');
export const resolveRectificationUpdate = defineUpdate<FormToDecisionState, [RectificationResolution]>('resolveRectification');

export const FORM_TO_DECISION = 'formToDecision';
/** patched() id of the change that clears the deadline when the decision becomes final (the rolling-upgrade test ships it as build B). */
export const FINAL_CLEARS_DEADLINE = 'final-decision-clears-deadline';
export const DECISION_MAKER_FIELD = 'decision-maker';
/**
 * patched() id of the change that starts a wait's deadline timer before the step is recorded, so that the step
 * opens for its Updates only once the main code is waiting without commands (see `awaiting` below).
 */
export const DEADLINE_BEFORE_STEP = 'deadline-timer-before-step';

/** Why an Update is refused: the API answers these as 409 (or 400 for a bad request). */
const refuse = (type: string, message: string) => ApplicationFailure.create({ type, message, nonRetryable: true });

const retry: RetryPolicy = { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 };
const applications = proxyActivities<ApplicationActivities>({ startToCloseTimeout: '2 minutes', retry });
const documents = proxyActivities<DocumentActivities>({ startToCloseTimeout: '2 minutes', retry });
const documentsQuickly = proxyActivities<DocumentActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { ...retry, maximumAttempts: QUICK_TRIES },
});

function cents(amount: string): number {
  return Math.round(Number(amount) * 100);
}

// Worker Versioning: waits out appeal periods: moves to each new build, changes guarded by patched().
declareVersioning(formToDecisionWorkflow, 'AUTO_UPGRADE');
export async function formToDecisionWorkflow(input: FormToDecisionInput): Promise<FormToDecisionState> {
  const { applicationId } = input;
  const state: FormToDecisionState = { status: 'checking' };
  let supplementationAsked: SupplementationRequest | undefined;
  let supplementedAt: string | undefined;
  let draft: (DecisionDraft & StaffAct) | undefined;
  let signer: (StaffAct & { signerName: string }) | undefined;
  const dispatches: Record<number, LetterDispatch> = {};
  let rectification: RectificationResolution | undefined;

  // The step whose Updates are accepted: set only once the step is recorded (its setApplicationStatus activity has
  // completed) and the main code waits in condition(), cleared when the wait ends. Why: a query task that outruns the
  // workflow task advances the code past an activity result; an Update then delivered alone is accepted after the
  // commands that result led to, but on replay the SDK applies the Update first (test/updateRace.test.ts), a
  // nondeterminism error. While the main code waits in condition() it has no commands, so either order replays alike.
  let awaiting: ApplicationStatus | undefined;
  const deciding = () => awaiting === 'awaiting_decision' || awaiting === 'supplementation_overdue';
  setHandler(applicationStateQuery, () => state);
  setHandler(
    requestSupplementationUpdate,
    (request) => {
      supplementationAsked = request;
      return state;
    },
    {
      validator: (request) => {
        if (!deciding() || supplementationAsked)
          throw refuse('not_deciding', 'Supplementation can be requested only while the application waits for the handler.');
        if (!request.fields.length) throw refuse('invalid_request', 'Name at least one field or attachment to supplement.');
        if (Date.parse(request.deadlineAt) <= Date.now()) throw refuse('invalid_deadline', 'The deadline is in the past.');
      },
    },
  );
  setHandler(
    supplementedUpdate,
    ({ answeredAt }) => {
      supplementedAt = answeredAt;
      return state;
    },
    {
      validator: (_answer) => {
        if (awaiting !== 'awaiting_supplementation' || supplementedAt)
          throw refuse('supplementation_closed', 'The application is not waiting for supplementation.');
      },
    },
  );
  setHandler(
    draftDecisionUpdate,
    (request) => {
      draft = request;
      return state;
    },
    {
      validator: (request) => {
        if (!deciding() || draft)
          throw refuse('not_deciding', 'The decision can be drafted only while the application waits for the handler.');
        checkAmount(request.outcome, request.amount);
      },
    },
  );
  setHandler(
    signDecisionUpdate,
    (request) => {
      signer = request;
      return state;
    },
    {
      validator: (_request) => {
        if (awaiting !== 'awaiting_signature' || signer)
          throw refuse('not_awaiting_signature', 'There is no decision waiting for signature.');
      },
    },
  );
  setHandler(
    rectificationRequestUpdate,
    ({ receivedAt }) => {
      state.rectification = { receivedAt };
      return state;
    },
    {
      validator: (_request) => {
        if (awaiting !== 'rectification_period' || state.rectification)
          throw refuse('rectification_closed', 'The rectification period is not open.');
      },
    },
  );
  setHandler(
    resolveRectificationUpdate,
    (request) => {
      rectification = request;
      return state;
    },
    {
      validator: (request) => {
        if (awaiting !== 'rectification_requested' || rectification)
          throw refuse('no_rectification', 'There is no rectification request waiting.');
        if (!request.reasoning?.trim()) throw refuse('invalid_request', 'Give the reasoning of the decision on the rectification request.');
        if (request.resolution === 'corrected') checkAmount(request.outcome ?? 'deny', request.amount ?? '0');
      },
    },
  );

  // The status is the step's once it is recorded: a query never shows a step whose Updates would still be refused.
  const step = async (status: ApplicationStatus, waitingFor: string | null = 'system', deadlineAt?: Date) => {
    showStep({ status, waitingFor, ...(deadlineAt ? { deadlineAt } : {}) });
    await applications.setApplicationStatus({ applicationId, status });
    state.status = status;
  };
  /** Records the step, then waits in it for `until`, accepting the step's Updates only during the wait. */
  const waitIn = async (status: ApplicationStatus, waitingFor: string, until: () => boolean) => {
    await step(status, waitingFor);
    return waitFor(status, condition(until));
  };
  /**
   * The same with a deadline. The deadline's timer starts before the step is recorded, so nothing is left to command
   * when the step opens; histories from before the change start it after, as they did.
   */
  const waitUntilDeadline = async (status: ApplicationStatus, waitingFor: string, until: () => boolean, deadlineAt: Date) => {
    const timeout = () => Math.max(0, deadlineAt.getTime() - Date.now());
    if (!patched(DEADLINE_BEFORE_STEP)) {
      await step(status, waitingFor, deadlineAt);
      return waitFor(status, condition(until, timeout()));
    }
    const waited = condition(until, timeout());
    await step(status, waitingFor, deadlineAt);
    return waitFor(status, waited);
  };
  async function waitFor<T>(status: ApplicationStatus, waiting: Promise<T>): Promise<T> {
    awaiting = status;
    try {
      return await waiting;
    } finally {
      awaiting = undefined;
    }
  }
  setHandler(letterDispatchedSignal, (dispatched) => {
    dispatches[dispatched.row] = dispatched;
  });
  showProcess(FORM_TO_DECISION, input.organization);

  // 1. Validate.
  await step('checking');
  const checked = await applications.checkApplication({ applicationId });
  state.amountApplied = checked.amountApplied;

  // 2. Register the case and acknowledge it.
  await step('registering');
  const { caseNumber } = await applications.registerCase({ applicationId, taskClass: checked.taskClass });
  state.caseNumber = caseNumber;
  upsertSearchAttributes([{ key: CaseNumber, value: caseNumber }]);
  await applications.mailAcknowledgement({ applicationId });

  // 3. Completeness check: the handler decides, or asks for supplementation first.
  await awaitHandler();

  // 4. The decision, and the decision-maker's signature.
  await step('drafting');
  const decidedOn = finnishToday();
  const rendered = await applications.renderDecision({ applicationId, ...draft!, decidedOn });
  state.decision = { outcome: draft!.outcome, amount: draft!.amount, reasoning: draft!.reasoning, decidedOn };
  const prepared = await documents.prepareSignatureFields({
    versionId: rendered.versionId,
    fields: [{ name: DECISION_MAKER_FIELD, label: 'Päätöksentekijä / Beslutsfattare / Decision-maker' }],
  });
  const signed = await signByDecisionMaker(prepared.versionId, `Päätös / Beslut / Decision ${caseNumber}`);
  state.decision.versionId = signed.versionId;
  state.decision.signedBy = signer!.signerName;
  await applications.recordSignedDecision({ applicationId, versionId: signed.versionId, sha256: signed.sha256, actor: signer!.actor });

  // 5. Notification as official mail; the date the applicant is deemed notified follows the channel.
  const letterId = `${applicationId}-decision-letter`;
  if (!(await sendAsOfficialLetter(letterId, signed.versionId, 0))) return state;

  // 6. The rectification period; a request during it pauses finality until the handler has answered it.
  state.notification = await applications.startRectificationPeriod({ applicationId, letterId });
  const periodEndsAt = new Date(state.notification.periodEndsAt);
  await waitUntilDeadline('rectification_period', 'applicant', () => state.rectification !== undefined, periodEndsAt);
  if (state.rectification) {
    await waitIn('rectification_requested', 'handler', () => rectification !== undefined);
    if (!(await decideOnRectification(rectification!))) return state;
  }
  await applications.closeRectificationPeriod({ applicationId });
  state.final = true;
  // Shipped in a later build: once the decision is final nobody is awaited and the period's deadline no longer runs,
  // so the admin's lists stop showing a passed deadline for the paying and archiving steps.
  if (patched(FINAL_CLEARS_DEADLINE)) showStep({ status: state.status, waitingFor: null, deadlineAt: null });

  // 7. Payment, only of a final decision that grants money.
  if (state.decision.outcome !== 'deny' && cents(state.decision.amount) > 0) {
    await step('paying');
    state.paymentId = (await applications.orderPayment({ applicationId, amount: state.decision.amount })).paymentId;
  }

  // 8. Archive.
  await step('archiving');
  state.archiveId = (await applications.archiveCase({ applicationId, versionId: signed.versionId })).archiveId;
  await step('completed', null);
  await condition(allHandlersFinished);
  return state;

  /** The decision-maker signs the prepared decision as a PDF signature in their own name. */
  async function signByDecisionMaker(versionId: string, reason: string) {
    signer = undefined;
    await waitIn('awaiting_signature', 'decision-maker', () => signer !== undefined);
    const signRequest = {
      versionId,
      fieldName: DECISION_MAKER_FIELD,
      stamp: {
        signerName: signer!.signerName,
        role: 'Päätöksentekijä / Beslutsfattare / Decision-maker',
        signedAt: new Date().toISOString(),
        reason,
      },
    };
    return throughTimestampOutages(
      () => documentsQuickly.signDocumentField(signRequest),
      () => documents.signDocumentField(signRequest),
      (waitingFor) => showStep({ status: 'awaiting_signature', waitingFor }),
      'system',
    );
  }

  /** A signed decision to the applicant through the official mail process; false when it could not be sent. */
  async function sendAsOfficialLetter(letterId: string, versionId: string, row: number): Promise<boolean> {
    await step('notifying');
    await applications.createDecisionLetter({ applicationId, letterId, versionId });
    await startChild(officialLetterWorkflow, {
      workflowId: letterId,
      args: [
        {
          letterId,
          organization: input.organization,
          requestedBy: 'system:formToDecision',
          trackingDays: input.letterTrackingDays,
          page: { workflowId: workflowInfo().workflowId, row },
        },
      ],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      // The letter is found by the applicant's name as the application is: the same keyed hashes, never the name.
      typedSearchAttributes: applicantNameTokens(),
    });
    await condition(() => dispatches[row] !== undefined);
    if (dispatches[row].outcome === 'sent') return true;
    // The registry's work list has the letter; nothing becomes final without notification.
    await step('notification_failed', 'registry');
    return false;
  }

  /**
   * The answer to a rectification request is a decision of its own, upheld
   * or corrected: drafted with its reasoning and appeal instructions, signed
   * by the decision-maker, sent as official mail, and final once the 30-day
   * appeal period has run.
   */
  async function decideOnRectification(resolution: RectificationResolution): Promise<boolean> {
    state.rectification!.resolution = resolution.resolution;
    if (resolution.resolution === 'corrected')
      Object.assign(state.decision!, { outcome: resolution.outcome, amount: resolution.amount, reasoning: resolution.reasoning });
    await applications.recordRectification({ applicationId, resolution: resolution.resolution, actor: resolution.actor });
    await step('drafting');
    const rendered = await applications.renderRectificationDecision({
      applicationId,
      resolution: resolution.resolution,
      outcome: state.decision!.outcome,
      amount: state.decision!.amount,
      reasoning: resolution.reasoning,
      decidedOn: finnishToday(),
      actor: resolution.actor,
    });
    const prepared = await documents.prepareSignatureFields({
      versionId: rendered.versionId,
      fields: [{ name: DECISION_MAKER_FIELD, label: 'Päätöksentekijä / Beslutsfattare / Decision-maker' }],
    });
    const signed = await signByDecisionMaker(
      prepared.versionId,
      `Oikaisuvaatimuspäätös / Beslut om omprövning / Rectification decision ${state.caseNumber}`,
    );
    state.rectification!.versionId = signed.versionId;
    await applications.recordSignedDecision({
      applicationId,
      versionId: signed.versionId,
      sha256: signed.sha256,
      actor: signer!.actor,
      rectification: true,
    });
    const letterId = `${applicationId}-rectification-letter`;
    if (!(await sendAsOfficialLetter(letterId, signed.versionId, 1))) return false;
    const appeal = await applications.startAppealPeriod({ applicationId, letterId });
    state.rectification!.appealPeriodLastDay = appeal.periodLastDay;
    await step('appeal_period', null, new Date(appeal.periodEndsAt));
    await sleep(Math.max(0, Date.parse(appeal.periodEndsAt) - Date.now()));
    return true;
  }

  async function awaitHandler(): Promise<void> {
    for (;;) {
      const waiting = state.supplementation && !state.supplementation.answered ? 'supplementation_overdue' : 'awaiting_decision';
      await waitIn(waiting, 'handler', () => draft !== undefined || supplementationAsked !== undefined);
      if (draft) return;
      const asked = supplementationAsked!;
      const deadlineAt = new Date(asked.deadlineAt);
      await applications.requestSupplementation({ applicationId, ...asked });
      state.supplementation = { fields: asked.fields, deadlineAt: asked.deadlineAt, answered: false };
      supplementedAt = undefined;
      const answered = await waitUntilDeadline('awaiting_supplementation', 'applicant', () => supplementedAt !== undefined, deadlineAt);
      state.supplementation.answered = answered;
      await applications.closeSupplementation({ applicationId, answered });
      supplementationAsked = undefined;
    }
  }

  function checkAmount(outcome: DecisionOutcome, amount: string): void {
    if (!/^\d+(\.\d{1,2})?$/.test(amount)) throw refuse('invalid_amount', 'Give the amount in euros, e.g. 1500.00.');
    const applied = cents(state.amountApplied ?? '0');
    if (outcome === 'deny' && cents(amount) !== 0) throw refuse('invalid_amount', 'A denial grants no money: the amount must be 0.');
    if (outcome === 'approve' && cents(amount) !== applied)
      throw refuse('invalid_amount', `An approval grants the amount applied for (${state.amountApplied}); use "partly" for less.`);
    if (outcome === 'partly' && !(cents(amount) > 0 && cents(amount) < applied))
      throw refuse(
        'invalid_amount',
        `A partial approval grants more than 0 and less than the amount applied for (${state.amountApplied}).`,
      );
  }
}

/** Today's date in Finland, from the workflow's deterministic clock. */
function finnishToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Helsinki', year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(),
  );
}

/** This application's NameTokens (set at its start), for the processes it starts. */
function applicantNameTokens(): { key: typeof NameTokens; value: string[] }[] {
  const tokens = workflowInfo().typedSearchAttributes.get(NameTokens);
  return tokens?.length ? [{ key: NameTokens, value: tokens }] : [];
}
