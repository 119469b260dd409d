import { proxyActivities } from '@temporalio/workflow';
import type { PasswordRotationActivities } from '../activities/messagesPasswordRotationActivities';

/**
 * Rotates the Suomi.fi Messages password, started by its Temporal Schedule
 * (integrations/suomifiMessages/credentialsSchedule.ts) or by an admin:
 * a new password is stored as pending, the service is asked to change to
 * it, and only then is it promoted to current. Workers sign in with
 * current or pending, so sending works at every point between.
 */

const rotation = proxyActivities<PasswordRotationActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', maximumInterval: '5 minutes', backoffCoefficient: 2 },
});

export async function messagesPasswordRotationWorkflow(): Promise<{ outcome: 'changed' | 'already_changed' }> {
  await rotation.prepareMessagesPassword();
  const { outcome } = await rotation.changeMessagesPassword();
  await rotation.promoteMessagesPassword();
  return { outcome };
}
