import { DefaultLogger, type LogEntry } from '@temporalio/worker';
import { logger } from './logger';

const LEVELS = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;

/**
 * The Temporal SDK's logs (worker, workflow and activity loggers) as pino
 * JSON, keeping the SDK's metadata: workflowId, runId, activityType,
 * taskQueue. Those ids are how an admin finds the process behind a log line.
 */
export function temporalSdkLogger(level: keyof typeof LEVELS = 'INFO'): DefaultLogger {
  return new DefaultLogger(level, (entry: LogEntry) => {
    const meta = Object.fromEntries(Object.entries(entry.meta ?? {}).filter(([, v]) => typeof v !== 'object' || v === null));
    logger[LEVELS[entry.level] ?? 'info']({ ...meta, sdk: true }, entry.message);
  });
}
