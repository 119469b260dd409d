/**
 * Timing of the form-to-decision process. The rectification period itself
 * is computed from the law's dates; SINETTI_RECTIFICATION_WAIT_MS replaces
 * the wait for it with a fixed one, for tests and demonstrations only.
 */
export interface FormsConfig {
  letterTrackingDays: number;
  rectificationWaitMs?: number;
}

export function loadFormsConfig(env: NodeJS.ProcessEnv = process.env): FormsConfig {
  const wait = env.SINETTI_RECTIFICATION_WAIT_MS;
  return {
    letterTrackingDays: Number(env.SINETTI_LETTER_TRACKING_DAYS ?? 30),
    ...(wait ? { rectificationWaitMs: Number(wait) } : {}),
  };
}
