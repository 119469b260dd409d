import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * The admin's view of every process in the Temporal Web UI. These hold roles,
 * states and dates — never names, e-mails or identity codes.
 */
export const ProcessType = defineSearchAttributeKey('ProcessType', SearchAttributeType.KEYWORD);
export const ProcessStatus = defineSearchAttributeKey('ProcessStatus', SearchAttributeType.KEYWORD);
/** A role (e.g. "employee", "checker"), not a person. */
export const WaitingFor = defineSearchAttributeKey('WaitingFor', SearchAttributeType.KEYWORD);
export const DeadlineAt = defineSearchAttributeKey('DeadlineAt', SearchAttributeType.DATETIME);
export const Organization = defineSearchAttributeKey('Organization', SearchAttributeType.KEYWORD);
export const CaseNumber = defineSearchAttributeKey('CaseNumber', SearchAttributeType.KEYWORD);
export const Body = defineSearchAttributeKey('Body', SearchAttributeType.KEYWORD);
/** When the process entered its current step: "no progress since" for the admin's stuck list. */
export const StepSince = defineSearchAttributeKey('StepSince', SearchAttributeType.DATETIME);
/**
 * Until when the current step waits by design: a person's deadline or a durable timer's end (a rectification
 * period, a notification day). Absent when the step waits on nobody with a known end; the admin's stuck list
 * calls a running process "waiting until …" while this is ahead, and stuck once it has passed with nothing moving.
 */
export const WaitingUntil = defineSearchAttributeKey('WaitingUntil', SearchAttributeType.DATETIME);

/**
 * Keyed hashes of the words of the people's names in a process (application/nameTokens.ts), so staff can search by
 * name while the names themselves stay out of Temporal: only someone holding the key can tell which word a token is.
 */
export const NameTokens = defineSearchAttributeKey('NameTokens', SearchAttributeType.KEYWORD_LIST);

/** Name → Temporal CLI type, for `--search-attribute` and `operator search-attribute create`. */
export const CUSTOM_SEARCH_ATTRIBUTES: Record<string, 'Keyword' | 'Datetime' | 'KeywordList'> = {
  ProcessType: 'Keyword',
  ProcessStatus: 'Keyword',
  WaitingFor: 'Keyword',
  DeadlineAt: 'Datetime',
  Organization: 'Keyword',
  CaseNumber: 'Keyword',
  Body: 'Keyword',
  StepSince: 'Datetime',
  WaitingUntil: 'Datetime',
  NameTokens: 'KeywordList',
};
