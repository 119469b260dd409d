import type { EventCursor } from '../../store/letters';

/**
 * Is Sinetti keeping up with Suomi.fi Messages' event feed? The service
 * keeps events for 60 days; a poller that stopped or fell behind loses
 * letters' delivery states for good once it is that far back. The admin
 * is warned long before: when the newest event read is more than a day
 * old, or the feed has not been read for a day.
 */

export const FEED_ALERT_AFTER_MS = 24 * 3600_000;

export interface FeedAlert {
  code: 'events_feed_behind' | 'events_feed_not_read';
  message: string;
  since: Date;
}

const hours = (ms: number) => Math.floor(ms / 3600_000);

export function eventFeedAlerts(cursor: Pick<EventCursor, 'updatedAt' | 'newestEventAt'> | null, now: Date): FeedAlert[] {
  if (!cursor) return [];
  const alerts: FeedAlert[] = [];
  if (now.getTime() - cursor.updatedAt.getTime() > FEED_ALERT_AFTER_MS) {
    alerts.push({
      code: 'events_feed_not_read',
      since: cursor.updatedAt,
      message: `The Suomi.fi Messages event feed has not been read for ${hours(now.getTime() - cursor.updatedAt.getTime())} hours: is the event poller running? The service keeps events for 60 days.`,
    });
  }
  if (cursor.newestEventAt && now.getTime() - cursor.newestEventAt.getTime() > FEED_ALERT_AFTER_MS) {
    alerts.push({
      code: 'events_feed_behind',
      since: cursor.newestEventAt,
      message: `The newest Suomi.fi Messages event read is ${hours(now.getTime() - cursor.newestEventAt.getTime())} hours old. If letters were sent since, their delivery events are not arriving: check the poller and the service's credentials. Events are kept for 60 days.`,
    });
  }
  return alerts;
}
