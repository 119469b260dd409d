// The worker's workflow bundle entry point (Temporal's workflowsPath): every process type it runs.
export { organisationSealWorkflow } from './organisationSeal';
export { employmentContractWorkflow } from './employmentContract';
export { minutesReviewWorkflow } from './minutesReview';
export { formToDecisionWorkflow } from './formToDecision';
export { officialLetterWorkflow } from './officialLetter';
export { messageEventPollerWorkflow } from './messageEventPoller';
export { letterBatchWorkflow, letterBatchPageWorkflow } from './letterBatch';
export { letterDeliveryTrackingWorkflow } from './letterDeliveryTracking';
export { webhookDeliveryWorkflow } from './webhookDelivery';
export { webhookLaneWorkflow } from './webhookLane';
export { messagesPasswordRotationWorkflow } from './messagesPasswordRotation';
export { archiveTransferWorkflow } from './archiveTransfer';
export { archivedDocumentWorkflow } from './archivedDocumentTimestamps';
export { timestampRenewalSweepWorkflow } from './timestampRenewalSweep';
