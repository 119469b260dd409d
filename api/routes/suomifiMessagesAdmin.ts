import { messageEventPollerId } from '../../activities/letterActivities';
import { messagesCredentialsFor } from '../../integrations/suomifiMessages/credentials';
import { passwordRotationScheduleId } from '../../integrations/suomifiMessages/credentialsSchedule';
import { eventFeedAlerts } from '../../integrations/suomifiMessages/eventFeedAlerts';
import { Letters } from '../../store/letters';
import { messagesPasswordRotationWorkflow } from '../../workflows/messagesPasswordRotation';
import { type ApiDeps } from '../apiDeps';
import { type ApiRoutes } from '../routeRegistry';

/** The admin's view of the Suomi.fi Messages account: the event feed's cursor and its alerts, the password's rotation, and "rotate now". */
export function suomifiMessagesAdminRoutes(routes: ApiRoutes, deps: ApiDeps): void {
  const credentials = messagesCredentialsFor(deps.config);
  const letters = new Letters();
  const { taskQueue } = deps.config.temporal;

  routes.add(
    {
      method: 'get',
      path: '/api/admin/suomifi-messages',
      tag: 'admin',
      roles: ['admin'],
      summary:
        "The event feed (last read, newest event read) with alerts when it is more than 24 hours behind, and the password's last rotation and schedule.",
      responses: { 200: '{ eventFeed, alerts, password }' },
    },
    async (_input, _req, res) => {
      const cursor = await letters.eventCursorRecord(messageEventPollerId(taskQueue));
      const schedule = await deps.temporal.schedule
        .getHandle(passwordRotationScheduleId(taskQueue))
        .describe()
        .catch(() => undefined);
      res.json({
        eventFeed: cursor ? { lastReadAt: cursor.updatedAt, newestEventAt: cursor.newestEventAt ?? null } : null,
        alerts: eventFeedAlerts(cursor, new Date()),
        password: { ...(await credentials.status()), nextRotationAt: schedule?.info.nextActionTimes[0] ?? null },
      });
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/api/admin/suomifi-messages/rotate-password',
      tag: 'admin',
      roles: ['admin'],
      summary:
        'Rotate the Suomi.fi Messages password now (as the schedule does): new password pending, changed at the service, then promoted.',
      responses: { 202: '{ workflowId }: under way (a rotation started while another runs finds the change made and only promotes)' },
    },
    async (_input, _req, res) => {
      const workflowId = `suomifi-password-rotation/${taskQueue}/manual-${Date.now()}`;
      await deps.temporal.workflow.start(messagesPasswordRotationWorkflow, { workflowId, taskQueue, args: [] });
      res.status(202).json({ workflowId });
    },
  );
}
