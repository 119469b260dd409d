import { api, byId, errorMessage } from './staffApi';

/**
 * The case handler's console (/kasittely): sign in, pick a round, open an
 * application, ask for supplementation, draft and sign the decision,
 * resolve a rectification request, download the round's table.
 */

interface ApplicationRow {
  applicationId: string;
  caseNumber?: string;
  formId: string;
  applicant?: string;
  status: string;
  amountApplied?: string;
  decision?: { outcome: string; amount: string };
  payment?: { paymentId: string };
}
interface ApplicationDetail {
  application: {
    caseNumber?: string;
    status: string;
    values: Record<string, string>;
    rectification?: { receivedAt: string; text: string };
  };
  state?: { status?: string };
}

const input = (id: string) => byId(id, HTMLInputElement);
const textarea = (id: string) => byId(id, HTMLTextAreaElement);
const select = (id: string) => byId(id, HTMLSelectElement);

function say(text: string, isError = false): void {
  const message = byId('message', HTMLElement);
  message.textContent = text;
  message.className = isError ? 'error' : '';
}

function cell(row: HTMLTableRowElement, text: unknown): HTMLTableCellElement {
  const td = document.createElement('td');
  td.textContent = text == null ? '' : typeof text === 'string' ? text : JSON.stringify(text);
  row.appendChild(td);
  return td;
}

let current: string | null = null;

async function loadRound(): Promise<void> {
  const round = input('round').value.trim();
  if (!round) return;
  const rows = await api<ApplicationRow[]>(`/api/rounds/${encodeURIComponent(round)}/applications`);
  const body = byId('applications', HTMLElement);
  body.replaceChildren();
  for (const a of rows) {
    const tr = document.createElement('tr');
    const open = document.createElement('button');
    open.type = 'button';
    open.textContent = a.caseNumber || a.applicationId.slice(0, 20);
    open.setAttribute('aria-label', `Avaa ${a.caseNumber || a.applicationId}`);
    open.addEventListener('click', () => {
      void openApplication(a.applicationId);
    });
    cell(tr, '').appendChild(open);
    cell(tr, a.formId);
    cell(tr, a.applicant);
    cell(tr, a.status);
    cell(tr, a.amountApplied);
    cell(tr, a.decision ? `${a.decision.outcome} ${a.decision.amount}` : '');
    cell(tr, a.payment ? a.payment.paymentId : '');
    body.appendChild(tr);
  }
  byId('list', HTMLElement).hidden = false;
  for (const form of ['avustushakemus', 'kulukorvaus']) {
    for (const format of ['xlsx', 'csv'])
      byId(`export-${form}-${format}`, HTMLAnchorElement).href = `/api/rounds/${encodeURIComponent(round)}/export/${form}.${format}`;
  }
  say(`${rows.length} hakemusta.`);
}

async function openApplication(id: string): Promise<void> {
  let found: ApplicationDetail;
  try {
    found = await api<ApplicationDetail>(`/api/applications/${encodeURIComponent(id)}`);
  } catch (error) {
    say(errorMessage(error), true);
    return;
  }
  const { application, state } = found;
  current = id;
  const title = byId('detail-title', HTMLElement);
  title.textContent = `${application.caseNumber || id} – ${state?.status || application.status}`;
  const list = byId('detail-values', HTMLElement);
  list.replaceChildren();
  for (const [key, value] of Object.entries(application.values)) {
    const dt = document.createElement('dt');
    dt.textContent = key;
    const dd = document.createElement('dd');
    dd.textContent = value;
    list.append(dt, dd);
  }
  const rectification = byId('detail-rectification', HTMLElement);
  rectification.textContent = application.rectification
    ? `Oikaisuvaatimus ${application.rectification.receivedAt}: ${application.rectification.text}`
    : '';
  rectification.hidden = !application.rectification;
  byId('detail', HTMLElement).hidden = false;
  title.focus();
}

async function act(path: string, body: Record<string, unknown>): Promise<void> {
  try {
    await api(`/api/applications/${encodeURIComponent(current ?? '')}${path}`, { method: 'POST', body: JSON.stringify(body) });
    say('Tallennettu.');
    await loadRound();
    if (current) await openApplication(current);
  } catch (error) {
    say(errorMessage(error), true);
  }
}

byId('signin', HTMLFormElement).addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    const who = await api<{ name: string; role: string }>('/api/session', {
      method: 'POST',
      body: JSON.stringify({ token: input('token').value }),
    });
    say(`Kirjautunut: ${who.name} (${who.role})`);
    byId('rounds', HTMLElement).hidden = false;
  } catch (error) {
    say(errorMessage(error), true);
  }
});

byId('round-form', HTMLFormElement).addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    await loadRound();
  } catch (error) {
    say(errorMessage(error), true);
  }
});

byId('supplement-form', HTMLFormElement).addEventListener('submit', (event) => {
  event.preventDefault();
  void act('/supplementation-request', {
    fields: input('supplement-fields')
      .value.split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    message: textarea('supplement-message').value,
    deadline: new Date(input('supplement-deadline').value).toISOString(),
  });
});

byId('decision-form', HTMLFormElement).addEventListener('submit', (event) => {
  event.preventDefault();
  void act('/decision', {
    outcome: select('decision-outcome').value,
    amount: input('decision-amount').value,
    reasoning: textarea('decision-reasoning').value,
  });
});

byId('sign', HTMLButtonElement).addEventListener('click', () => {
  void act('/signature', {});
});

byId('rectification-form', HTMLFormElement).addEventListener('submit', (event) => {
  event.preventDefault();
  const body: Record<string, string> = {
    resolution: select('rectification-resolution').value,
    reasoning: textarea('rectification-reasoning').value,
  };
  if (body.resolution === 'corrected') {
    body.outcome = select('rectification-outcome').value;
    body.amount = input('rectification-amount').value;
  }
  void act('/rectification-resolution', body);
});
