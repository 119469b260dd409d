import { pingStore } from '../store/connection';
import { type ApiDeps } from './apiDeps';

/** What /health answers: each dependency's reachability as last seen, and when that was. */
export interface HealthSnapshot {
  temporal: boolean;
  store: boolean;
  smtp: boolean;
  checkedAt: Date;
}

/** Refreshed this often while someone asks: /health's answer is at most this old (plus one check's time). */
export const HEALTH_REFRESH_MS = 5_000;
/** A dependency that does not answer within this is down for the check, so a check ends well inside a refresh period. */
const CHECK_TIMEOUT_MS = 2_000;
/** Nobody asked for this long (no probe running): the loop stops, and the next question checks afresh. */
const IDLE_STOP_MS = 60_000;

/**
 * Reachability of Temporal, the store and SMTP, checked by a loop in the
 * background rather than on every /health call: asking all three takes over
 * 100 ms, and a probe must get its answer even while the API is busy (a
 * bomb being refused). The loop runs while /health is asked (a process's
 * orchestrator asks every few seconds), so an idle test or tool leaves no
 * timer behind; a question after a pause gets a fresh check.
 */
export class DependencyHealth {
  private snapshot: HealthSnapshot | undefined;
  private inFlight: { check: Promise<HealthSnapshot>; startedAt: number } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastAskedAt = 0;

  constructor(
    private readonly deps: ApiDeps,
    private readonly refreshMs = HEALTH_REFRESH_MS,
  ) {}

  /** The last snapshot if it is recent, else a check now; keeps the background loop going. */
  async latest(): Promise<HealthSnapshot> {
    this.lastAskedAt = Date.now();
    const fresh = this.snapshot && Date.now() - this.snapshot.checkedAt.getTime() <= this.refreshMs + CHECK_TIMEOUT_MS;
    const answer = fresh ? this.snapshot! : await this.checkStartedSince(0);
    this.timer ??= setTimeout(() => void this.refresh(), this.refreshMs).unref();
    return answer;
  }

  /**
   * Asks all three now: a check begun after this call (one check at a time,
   * shared by whoever asks meanwhile). A check already running began before
   * the question and may predate an outage, so it is waited out, not taken.
   */
  checkNow(): Promise<HealthSnapshot> {
    return this.checkStartedSince(Date.now());
  }

  private async checkStartedSince(askedAt: number): Promise<HealthSnapshot> {
    while (this.inFlight && this.inFlight.startedAt < askedAt) await this.inFlight.check.catch(() => undefined);
    if (!this.inFlight) {
      const check = this.check().finally(() => (this.inFlight = undefined));
      this.inFlight = { check, startedAt: Date.now() };
    }
    return this.inFlight.check;
  }

  private async refresh(): Promise<void> {
    this.timer = undefined;
    if (Date.now() - this.lastAskedAt > IDLE_STOP_MS) return;
    await this.checkStartedSince(0);
    this.timer ??= setTimeout(() => void this.refresh(), this.refreshMs).unref();
  }

  private async check(): Promise<HealthSnapshot> {
    const [temporal, store, smtp] = await Promise.all([
      this.deps.temporal
        .withDeadline(Date.now() + CHECK_TIMEOUT_MS, () => this.deps.temporal.workflowService.getSystemInfo({}))
        .then(() => true)
        .catch(() => false),
      withinCheckTimeout(pingStore()),
      withinCheckTimeout(this.deps.mail.verify()),
    ]);
    this.snapshot = { temporal, store, smtp, checkedAt: new Date() };
    return this.snapshot;
  }
}

function withinCheckTimeout(reachable: Promise<boolean>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), CHECK_TIMEOUT_MS)));
  return Promise.race([reachable.catch(() => false), timeout]).finally(() => clearTimeout(timer));
}
