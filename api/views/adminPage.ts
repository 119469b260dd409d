import escapeHtml from 'escape-html';
import { htmlPage } from './htmlPage';

const ADMIN_STYLE = `
  body { font-family: system-ui, sans-serif; margin: 0; color: #1b1b1b; background: #fff; line-height: 1.5; }
  header, main { max-width: 72rem; margin: 0 auto; padding: 1rem; }
  header { border-bottom: 1px solid #767676; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: .5rem; border-bottom: 1px solid #ccc; vertical-align: top; }
  label { display: block; font-weight: 600; margin-top: .5rem; }
  input, select, textarea, button { font: inherit; padding: .5rem; }
  button { background: #1a4f8b; color: #fff; border: 0; border-radius: 4px; cursor: pointer; margin-top: .5rem; }
  button:focus, input:focus, select:focus, textarea:focus, a:focus { outline: 3px solid #ffbf47; }
  .reasons { margin: 0; padding-left: 1.2rem; }
  [role=alert] { color: #a00000; font-weight: 600; }
  [role=status] { color: #0b5a1e; font-weight: 600; }
`;

/**
 * The admin's page: sign in with the admin token, see the stuck processes
 * with their reasons, and act on one with a reason. It is a thin client of
 * the admin API (/api/admin/*) riding on the staff session cookie, so the
 * page can do nothing the API would not allow.
 */
export function adminPage(organization: string, temporalUiUrl: string): string {
  return htmlPage({
    language: 'en', title: 'Sinetti — administration', style: ADMIN_STYLE,
    header: `
  <h1>Sinetti administration</h1>
  <p>${escapeHtml(organization)} · <a href="${escapeHtml(temporalUiUrl)}">Temporal Web UI</a></p>
`,
    body: `
  <section id="signin" aria-labelledby="signin-title">
    <h2 id="signin-title">Sign in</h2>
    <form id="signin-form">
      <label for="token">Admin token</label>
      <input id="token" name="token" type="password" autocomplete="current-password" required>
      <button type="submit">Sign in</button>
    </form>
  </section>
  <p id="message" role="status" aria-live="polite"></p>
  <p id="problem" role="alert"></p>
  <section id="stuck-section" aria-labelledby="stuck-title" hidden>
    <h2 id="stuck-title">Stuck processes</h2>
    <form id="criteria">
      <label for="attempts">A step has failed more than (attempts)</label>
      <input id="attempts" name="attemptThreshold" type="number" min="1" value="3">
      <label for="hours">No progress for (hours)</label>
      <input id="hours" name="noProgressHours" type="number" min="0" value="72">
      <button type="submit">Refresh</button>
    </form>
    <table>
      <caption>Running processes waiting past their deadline, failing a step, or without progress</caption>
      <thead><tr><th scope="col">Process</th><th scope="col">Type and status</th><th scope="col">Why it is stuck</th></tr></thead>
      <tbody id="stuck"></tbody>
    </table>
    <h2 id="act-title">Act on a process</h2>
    <form id="act" aria-labelledby="act-title">
      <label for="processId">Process id</label>
      <input id="processId" name="processId" required>
      <label for="action">Action</label>
      <select id="action" name="action">
        <option value="remind">Send the reminder now</option>
        <option value="extend">Extend the deadline</option>
        <option value="reassign">Reassign a signer or checker</option>
        <option value="cancel">Cancel (people are told)</option>
        <option value="retry">Retry the failed step</option>
      </select>
      <label for="reason">Reason (goes to the audit log)</label>
      <textarea id="reason" name="reason" required minlength="3"></textarea>
      <label for="deadlineAt">New deadline (for extend)</label>
      <input id="deadlineAt" name="deadlineAt" type="datetime-local">
      <label for="participantId">Participant id (for reassign)</label>
      <input id="participantId" name="participantId">
      <label for="email">New person's e-mail (for reassign)</label>
      <input id="email" name="email" type="email">
      <label for="name">New person's name (for reassign)</label>
      <input id="name" name="name">
      <button type="submit">Do it</button>
    </form>
  </section>
`,
    script: `
const $ = (id) => document.getElementById(id);
function say(text, problem) { $('message').textContent = problem ? '' : text; $('problem').textContent = problem ? text : ''; }
async function api(path, options) {
  const response = await fetch(path, { credentials: 'same-origin', headers: { 'Content-Type': 'application/json' }, ...options });
  const body = response.status === 204 ? {} : await response.json();
  if (!response.ok) throw new Error(body.message || response.statusText);
  return body;
}
function cell(text) { const td = document.createElement('td'); td.textContent = text; return td; }
async function loadStuck() {
  const criteria = new URLSearchParams(new FormData($('criteria')));
  const { stuck } = await api('/api/admin/stuck?' + criteria);
  const rows = stuck.map((p) => {
    const tr = document.createElement('tr');
    tr.append(cell(p.processId), cell((p.processType || '') + ' · ' + (p.status || '')));
    const td = document.createElement('td');
    const ul = document.createElement('ul'); ul.className = 'reasons';
    for (const reason of p.reasons) { const li = document.createElement('li'); li.textContent = reason; ul.append(li); }
    td.append(ul); tr.append(td);
    return tr;
  });
  $('stuck').replaceChildren(...rows);
  say(stuck.length ? stuck.length + ' stuck process(es).' : 'Nothing is stuck.');
}
async function signedIn() { await loadStuck(); $('signin').hidden = true; $('stuck-section').hidden = false; }
$('signin-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  try { await api('/api/session', { method: 'POST', body: JSON.stringify({ token: $('token').value }) }); await signedIn(); }
  catch (error) { say(error.message, true); }
});
$('criteria').addEventListener('submit', (event) => { event.preventDefault(); loadStuck().catch((e) => say(e.message, true)); });
$('act').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = Object.fromEntries(new FormData($('act')));
  const body = { action: form.action, reason: form.reason };
  if (form.action === 'extend') body.deadlineAt = form.deadlineAt ? new Date(form.deadlineAt).toISOString() : '';
  if (form.action === 'reassign') Object.assign(body, { participantId: form.participantId, email: form.email, name: form.name });
  try {
    await api('/api/admin/processes/' + encodeURIComponent(form.processId) + '/actions', { method: 'POST', body: JSON.stringify(body) });
    say('Done: ' + form.action + ' on ' + form.processId + '.');
    await loadStuck();
  } catch (error) { say(error.message, true); }
});
api('/api/admin/stuck').then(() => signedIn()).catch(() => undefined);
`,
  });
}
