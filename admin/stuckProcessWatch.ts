import type { AuditEvent } from '../audit/auditLog';
import { type BackgroundLoop, startBackgroundLoop } from '../common/backgroundLoop';
import { logger } from '../observability/logger';
import { DispatcherLease } from '../store/webhookDispatcherLease';
import { type StuckProcessMark, StuckProcessMarks } from '../store/stuckProcessMarks';

/**
 * Turns the admin's stuck list (admin/stuckProcesses.ts, read from Temporal
 * visibility) into milestones: a process that appears on it gets a
 * "process.stuck" audit event, and one that leaves it (moving again, or
 * ended) a "process.recovered" one; the audit hook publishes both as
 * webhooks. Each episode is announced once: the watch remembers only the
 * processes it marked (store/stuckProcessMarks.ts), and an event's id
 * names its process and episode, so a watch that crashed between marking
 * and announcing writes the same event again, which the audit log ignores.
 */

export interface StuckProcessWatchDeps {
  /** The processes on the stuck list now (in production findStuckProcesses with the default criteria). */
  findStuck(): Promise<{ processId: string }[]>;
  audit: { append(event: AuditEvent): Promise<void> };
  marks?: StuckProcessMarks;
}

export function stuckEventId(mark: Pick<StuckProcessMark, 'processId' | 'stuck' | 'episode'>): string {
  return `${mark.processId}/process.${mark.stuck ? 'stuck' : 'recovered'}/${mark.episode}`;
}

/** One look at the stuck list: marks what changed since the last look and announces every change not announced yet. */
export async function watchStuckProcessesOnce(deps: StuckProcessWatchDeps): Promise<{ stuck: string[]; recovered: string[] }> {
  const marks = deps.marks ?? new StuckProcessMarks();
  const stuckNow = new Set((await deps.findStuck()).map((p) => p.processId));
  const known = new Map((await marks.open()).map((mark) => [mark.processId, mark]));
  const changed = { stuck: [] as string[], recovered: [] as string[] };
  for (const processId of stuckNow) {
    if (known.get(processId)?.stuck) continue;
    const previous = known.get(processId) ?? (await marks.get(processId));
    known.set(processId, await marks.markStuck(processId, previous?.episode ?? 0));
    changed.stuck.push(processId);
  }
  for (const mark of known.values()) {
    if (!mark.stuck || stuckNow.has(mark.processId)) continue;
    await marks.markRecovered(mark.processId);
    known.set(mark.processId, { ...mark, stuck: false, announced: false, changedAt: new Date() });
    changed.recovered.push(mark.processId);
  }
  for (const mark of known.values()) {
    if (mark.announced) continue;
    await deps.audit.append({
      eventId: stuckEventId(mark),
      processId: mark.processId,
      actor: 'system',
      action: mark.stuck ? 'process.stuck' : 'process.recovered',
      at: mark.changedAt,
      details: { episode: mark.episode },
    });
    await marks.markAnnounced(mark.processId);
  }
  return changed;
}

/** Looks every `intervalMs`, one worker process at a time (a lease, as the webhook dispatcher holds). */
export function startStuckProcessWatch(deps: StuckProcessWatchDeps & { intervalMs: number; leaseName: string }): BackgroundLoop {
  const lease = new DispatcherLease(deps.leaseName, deps.intervalMs * 3);
  return startBackgroundLoop(
    async (loop) => {
      try {
        if (await lease.hold()) await watchStuckProcessesOnce(deps);
      } catch (error) {
        logger.warn(
          { err: { name: (error as Error)?.name, message: (error as Error)?.message } },
          'stuck-process watch failed; next look later',
        );
      }
      await loop.pause(deps.intervalMs);
    },
    () => lease.release().catch(() => undefined),
  );
}
