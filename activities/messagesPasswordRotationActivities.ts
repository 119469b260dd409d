import { ApplicationFailure } from '@temporalio/common';
import type { MessagesCredentials } from '../integrations/suomifiMessages/credentials';
import { MessagesServiceError } from '../integrations/suomifiMessages/messagesService';

/**
 * The steps of a Suomi.fi Messages password rotation. Passwords never
 * leave these activities: the workflow's history holds outcomes only.
 * Each step can be repeated after a crash: a pending password is kept, a
 * change the service already made is recognised by signing in with the
 * pending password, and promotion of nothing changes nothing.
 */

export interface PasswordRotationDeps {
  credentials: MessagesCredentials;
  messages: {
    acceptsPassword(password: string): Promise<boolean>;
    changePassword(currentPassword: string, newPassword: string): Promise<void>;
  };
}

export function createMessagesPasswordRotationActivities(deps: PasswordRotationDeps) {
  return {
    async prepareMessagesPassword(): Promise<void> {
      await deps.credentials.preparePending();
    },

    async changeMessagesPassword(): Promise<{ outcome: 'changed' | 'already_changed' }> {
      const { current, pending } = await deps.credentials.rotationPair();
      if (await deps.messages.acceptsPassword(pending)) return { outcome: 'already_changed' };
      try {
        await deps.messages.changePassword(current, pending);
      } catch (error) {
        if (error instanceof MessagesServiceError && !error.retryable) {
          await deps.credentials.discardPending();
          throw ApplicationFailure.create({
            type: 'SuomifiMessages.passwordRefused',
            message: `The service refused the new password: ${error.reason}`,
            nonRetryable: true,
          });
        }
        throw error;
      }
      return { outcome: 'changed' };
    },

    async promoteMessagesPassword(): Promise<void> {
      await deps.credentials.promotePending();
    },
  };
}

export type PasswordRotationActivities = ReturnType<typeof createMessagesPasswordRotationActivities>;
