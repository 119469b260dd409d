/**
 * Timing of the form-to-decision process. The rectification and appeal
 * periods are computed from the law's dates; tests make them pass in
 * seconds through their workers (worker/testTimers.ts), not through here.
 */
export interface FormsConfig {
  letterTrackingDays: number;
}

export function loadFormsConfig(env: NodeJS.ProcessEnv = process.env): FormsConfig {
  return { letterTrackingDays: Number(env.SINETTI_LETTER_TRACKING_DAYS ?? 30) };
}
