import { api, byId, errorMessage } from './staffApi';

/** The admin console (/admin): sign in, list the stuck processes, act on one with a reason. */

interface StuckProcess {
  processId: string;
  processType?: string;
  status?: string;
  reasons: string[];
}

const message = byId('message', HTMLElement);
const problem = byId('problem', HTMLElement);

function say(text: string, isProblem = false): void {
  message.textContent = isProblem ? '' : text;
  problem.textContent = isProblem ? text : '';
}

function cell(text: string): HTMLTableCellElement {
  const td = document.createElement('td');
  td.textContent = text;
  return td;
}

function formValues(form: HTMLFormElement): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of new FormData(form)) if (typeof value === 'string') values[key] = value;
  return values;
}

async function loadStuck(): Promise<void> {
  const criteria = new URLSearchParams(formValues(byId('criteria', HTMLFormElement)));
  const { stuck } = await api<{ stuck: StuckProcess[] }>(`/api/admin/stuck?${criteria}`);
  const rows = stuck.map((p) => {
    const tr = document.createElement('tr');
    tr.append(cell(p.processId), cell(`${p.processType ?? ''} · ${p.status ?? ''}`));
    const td = document.createElement('td');
    const ul = document.createElement('ul');
    ul.className = 'reasons';
    for (const reason of p.reasons) {
      const li = document.createElement('li');
      li.textContent = reason;
      ul.append(li);
    }
    td.append(ul);
    tr.append(td);
    return tr;
  });
  byId('stuck', HTMLElement).replaceChildren(...rows);
  say(stuck.length ? `${stuck.length} stuck process(es).` : 'Nothing is stuck.');
}

interface ArchivedDocument {
  archiveId: string;
  status?: string;
  waitingFor?: string;
  proofExpiresAt?: string;
  nextDueAt?: string;
  overdue: boolean;
  lastFailure?: string;
}

async function loadArchived(): Promise<void> {
  const { documents } = await api<{ documents: ArchivedDocument[] }>('/api/admin/archived-documents');
  const day = (iso?: string) => (iso ? iso.slice(0, 10) : '—');
  byId('archived', HTMLElement).replaceChildren(
    ...documents.map((d) => {
      const tr = document.createElement('tr');
      const status = [d.status ?? '', d.waitingFor ? `waiting for ${d.waitingFor}` : '', d.lastFailure ?? ''].filter(Boolean).join(' · ');
      tr.append(cell(d.archiveId), cell(`${day(d.nextDueAt)}${d.overdue ? ' (due now)' : ''}`), cell(day(d.proofExpiresAt)), cell(status));
      return tr;
    }),
  );
}

async function signedIn(): Promise<void> {
  await loadStuck();
  await loadArchived();
  byId('signin', HTMLElement).hidden = true;
  byId('stuck-section', HTMLElement).hidden = false;
}

byId('signin-form', HTMLFormElement).addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    await api('/api/session', { method: 'POST', body: JSON.stringify({ token: byId('token', HTMLInputElement).value }) });
    await signedIn();
  } catch (error) {
    say(errorMessage(error), true);
  }
});

byId('criteria', HTMLFormElement).addEventListener('submit', (event) => {
  event.preventDefault();
  loadStuck().catch((error: unknown) => say(errorMessage(error), true));
});

byId('act', HTMLFormElement).addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = formValues(byId('act', HTMLFormElement));
  const body: Record<string, string> = { action: form.action ?? '', reason: form.reason ?? '' };
  if (form.action === 'extend') body.deadlineAt = form.deadlineAt ? new Date(form.deadlineAt).toISOString() : '';
  if (form.action === 'reassign') Object.assign(body, { participantId: form.participantId, email: form.email, name: form.name });
  try {
    await api(`/api/admin/processes/${encodeURIComponent(form.processId ?? '')}/actions`, { method: 'POST', body: JSON.stringify(body) });
    say(`Done: ${form.action} on ${form.processId}.`);
    await loadStuck();
  } catch (error) {
    say(errorMessage(error), true);
  }
});

// Already signed in (the session cookie is there): show the list straight away.
api('/api/admin/stuck')
  .then(() => signedIn())
  .catch(() => undefined);
