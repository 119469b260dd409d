import { STAFF_ROLES } from '../../config/config';
import { staffConsole } from './kit/staffConsole';

/**
 * The admin's page: sign in with the admin token, see the stuck processes
 * with their reasons, and act on one with a reason. Its script
 * (/assets/admin.js) is a thin client of the admin API (/api/admin/*)
 * riding on the staff session cookie, so the page can do nothing the API
 * would not allow.
 */
export function adminPage(organization: string, temporalUiUrl: string): string {
  return staffConsole({
    language: 'en',
    title: 'Sinetti — administration',
    stylesheet: 'console',
    script: 'admin',
    header: (
      <>
        <h1>Sinetti administration</h1>
        <p>
          {organization} · <a href={temporalUiUrl}>Temporal Web UI</a>
        </p>
      </>
    ),
    children: (
      <>
        <section id="signin" aria-labelledby="signin-title">
          <h2 id="signin-title">Sign in</h2>
          <form id="signin-form">
            <label for="token">Admin token</label>
            <input id="token" name="token" type="password" autocomplete="current-password" required />
            <button type="submit">Sign in</button>
          </form>
        </section>
        <p id="message" role="status" aria-live="polite"></p>
        <p id="problem" role="alert"></p>
        <section id="stuck-section" aria-labelledby="stuck-title" hidden>
          <h2 id="stuck-title">Stuck processes</h2>
          <form id="criteria">
            <label for="attempts">A step has failed more than (attempts)</label>
            <input id="attempts" name="attemptThreshold" type="number" min={1} value="3" />
            <label for="hours">No progress for (hours)</label>
            <input id="hours" name="noProgressHours" type="number" min={0} value="72" />
            <button type="submit">Refresh</button>
          </form>
          <table>
            <caption>Running processes waiting past their deadline, failing a step, or without progress</caption>
            <thead>
              <tr>
                <th scope="col">Process</th>
                <th scope="col">Type and status</th>
                <th scope="col">Why it is stuck</th>
              </tr>
            </thead>
            <tbody id="stuck"></tbody>
          </table>
          <h2 id="act-title">Act on a process</h2>
          <form id="act" aria-labelledby="act-title">
            <label for="processId">Process id</label>
            <input id="processId" name="processId" required />
            <label for="action">Action</label>
            <select id="action" name="action">
              <option value="remind">Send the reminder now</option>
              <option value="extend">Extend the deadline</option>
              <option value="reassign">Reassign a signer or checker</option>
              <option value="cancel">Cancel (people are told)</option>
              <option value="retry">Retry the failed step</option>
            </select>
            <label for="reason">Reason (goes to the audit log)</label>
            <textarea id="reason" name="reason" required minlength={3} />
            <label for="deadlineAt">New deadline (for extend)</label>
            <input id="deadlineAt" name="deadlineAt" type="datetime-local" />
            <label for="participantId">Participant id (for reassign)</label>
            <input id="participantId" name="participantId" />
            <label for="email">New person's e-mail (for reassign)</label>
            <input id="email" name="email" type="email" />
            <label for="name">New person's name (for reassign)</label>
            <input id="name" name="name" />
            <button type="submit">Do it</button>
          </form>
          <h2 id="keys-title">API keys</h2>
          <p>
            For machine clients (a case-management system, scripts): sent as <code>Authorization: Bearer &lt;key&gt;</code>. A key is shown
            once, when it is created.
          </p>
          <form id="key-form" aria-labelledby="keys-title">
            <label for="key-name">Client's name</label>
            <input id="key-name" name="name" required maxLength={100} />
            <fieldset>
              <legend>Roles</legend>
              {STAFF_ROLES.map((role) => (
                <label>
                  <input type="checkbox" name="roles" value={role} /> {role}
                </label>
              ))}
            </fieldset>
            <label for="key-expires">Expires on</label>
            <input id="key-expires" name="expiresAt" type="date" required />
            <button type="submit">Create key</button>
          </form>
          <p id="new-key" role="status" aria-live="polite"></p>
          <table>
            <caption>API keys, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Client</th>
                <th scope="col">Roles</th>
                <th scope="col">Expires</th>
                <th scope="col">Last used</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody id="keys"></tbody>
          </table>
        </section>
      </>
    ),
  });
}
