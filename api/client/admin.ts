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

interface ApiKeyRow {
  _id: string;
  name: string;
  roles: string[];
  expiresAt: string;
  lastUsedAt?: string;
  revokedAt?: string;
}

async function loadKeys(): Promise<void> {
  const { apiKeys } = await api<{ apiKeys: ApiKeyRow[] }>('/api/admin/api-keys');
  byId('keys', HTMLElement).replaceChildren(
    ...apiKeys.map((k) => {
      const tr = document.createElement('tr');
      tr.append(
        cell(k.name),
        cell(k.roles.join(', ')),
        cell(k.expiresAt.slice(0, 10)),
        cell(k.lastUsedAt ? k.lastUsedAt.slice(0, 16).replace('T', ' ') : 'never'),
      );
      const state = cell(k.revokedAt ? 'revoked' : Date.parse(k.expiresAt) < Date.now() ? 'expired' : '');
      if (!k.revokedAt) {
        const revoke = document.createElement('button');
        revoke.type = 'button';
        revoke.textContent = `Revoke ${k.name}`;
        revoke.addEventListener('click', () => {
          api(`/api/admin/api-keys/${encodeURIComponent(k._id)}`, { method: 'DELETE' })
            .then(loadKeys)
            .then(() => say(`Revoked the key of ${k.name}.`))
            .catch((error: unknown) => say(errorMessage(error), true));
        });
        state.append(revoke);
      }
      tr.append(state);
      return tr;
    }),
  );
}

byId('key-form', HTMLFormElement).addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = new FormData(byId('key-form', HTMLFormElement));
  const text = (field: string): string => {
    const value = form.get(field);
    return typeof value === 'string' ? value : '';
  };
  const expires = text('expiresAt');
  const body = {
    name: text('name'),
    roles: form.getAll('roles').map(String),
    expiresAt: expires ? new Date(`${expires}T23:59:59`).toISOString() : '',
  };
  try {
    const { key } = await api<{ key: string }>('/api/admin/api-keys', { method: 'POST', body: JSON.stringify(body) });
    byId('new-key', HTMLElement).textContent = `The new key (copy it now, it is not shown again): ${key}`;
    await loadKeys();
  } catch (error) {
    say(errorMessage(error), true);
  }
});

async function signedIn(): Promise<void> {
  await loadStuck();
  await loadKeys();
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
