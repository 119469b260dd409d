import { createHash } from 'node:crypto';
import stringify from 'safe-stable-stringify';
import type { AuditEvent } from './auditLog';

/**
 * The hash chain of a process's audit events: each event holds its place in
 * its process's chain (seq, from 1), the hash of the event before it, and its
 * own hash over everything it says. Changing an event breaks its hash;
 * removing one leaves a gap in the sequence or a next event pointing at
 * nothing; the head (the last hash) is printed in the sealed document's audit
 * certificate, so a chain rewritten from some event on no longer ends where
 * the seal says it did.
 */

export interface ChainLink {
  seq: number;
  prevHash: string;
  hash: string;
}

/** What the first event of a process points at: the process's own name, so chains cannot be swapped between processes. */
export function genesisHash(processId: string): string {
  return createHash('sha256').update(`sinetti-audit-chain:${processId}`).digest('hex');
}

/** The fields an event's hash covers: all it says, its place in the chain and its predecessor. */
export function eventHash(event: AuditEvent, seq: number, prevHash: string): string {
  const content = {
    eventId: event.eventId,
    processId: event.processId,
    actor: event.actor,
    action: event.action,
    at: new Date(event.at).toISOString(),
    ip: event.ip,
    userAgent: event.userAgent,
    documentSha256: event.documentSha256,
    details: normalised(event.details),
    trail: event.trail,
    seq,
    prevHash,
  };
  return createHash('sha256').update(stringify(content)).digest('hex');
}

/** As the store gives it back: what JSON keeps (dates as ISO strings, no undefined members). */
function normalised(details: Record<string, unknown> | undefined): unknown {
  return details === undefined ? undefined : JSON.parse(JSON.stringify(details));
}

export type ChainProblem =
  | { eventId: string; problem: 'altered'; message: string }
  | { eventId: string; problem: 'relinked'; message: string }
  | { eventId?: string; seq: number; problem: 'missing'; message: string }
  | { eventId: string; problem: 'unlisted'; message: string }
  | { eventId: string; problem: 'listed_twice'; message: string };

export interface ChainReport {
  processId: string;
  intact: boolean;
  /** Events in the chain, and events written before chaining began (not covered by it). */
  chained: number;
  unchained: number;
  head?: { seq: number; hash: string };
  problems: ChainProblem[];
}

type Stored = AuditEvent & Partial<ChainLink>;

/**
 * Walks a process's chain. `listed` are the events its trail lists; `stored`
 * every event the store holds for the process, listed or not (an event taken
 * off the trail is still found by its process id).
 */
export function walkChain(processId: string, listed: Stored[], stored: Stored[]): ChainReport {
  const problems: ChainProblem[] = [];
  const listedIds = new Set(listed.map((event) => event.eventId));
  for (const event of stored) {
    if (!listedIds.has(event.eventId))
      problems.push({
        eventId: event.eventId,
        problem: 'unlisted',
        message: `Event ${event.eventId} (${event.action}) is stored but no longer listed in the process's trail.`,
      });
  }
  const all = new Map<string, Stored>([...stored, ...listed].map((event) => [event.eventId, event]));
  const chained = [...all.values()].filter((event) => typeof event.seq === 'number').sort((a, b) => a.seq! - b.seq!);
  let previous = genesisHash(processId);
  let expectedSeq = 1;
  for (const event of chained) {
    if (event.seq! < expectedSeq) {
      problems.push({
        eventId: event.eventId,
        problem: 'listed_twice',
        message: `Two events claim place ${event.seq} in the chain; ${event.eventId} is one of them.`,
      });
      continue;
    }
    for (; expectedSeq < event.seq!; expectedSeq++) {
      problems.push({ seq: expectedSeq, problem: 'missing', message: `Place ${expectedSeq} of the chain has no event: one was removed.` });
      previous = '';
    }
    if (previous && event.prevHash !== previous) {
      problems.push({
        eventId: event.eventId,
        problem: 'relinked',
        message: `Event ${event.eventId} does not point at the event before it.`,
      });
    }
    if (eventHash(event, event.seq!, event.prevHash ?? '') !== event.hash) {
      problems.push({
        eventId: event.eventId,
        problem: 'altered',
        message: `Event ${event.eventId} (${event.action}) was changed after it was written: its content no longer matches its hash.`,
      });
    }
    previous = event.hash ?? '';
    expectedSeq = event.seq! + 1;
  }
  const last = chained.at(-1);
  return {
    processId,
    intact: problems.length === 0,
    chained: chained.length,
    unchained: all.size - chained.length,
    head: last ? { seq: last.seq!, hash: last.hash! } : undefined,
    problems,
  };
}

/** The head of the chain of these events (the certificate prints it). */
export function chainHead(events: Stored[]): { seq: number; hash: string } | undefined {
  const last = events
    .filter((event) => typeof event.seq === 'number' && event.hash)
    .sort((a, b) => a.seq! - b.seq!)
    .at(-1);
  return last ? { seq: last.seq!, hash: last.hash! } : undefined;
}
