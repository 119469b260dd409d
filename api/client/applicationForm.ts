import { byId } from './staffApi';

/**
 * The public e-form (/forms/:id, and the supplementation behind an
 * applicant's link): posts the values and attachments as the API's JSON,
 * and shows each problem the API names next to its field and in the
 * summary at the top.
 */

interface Problem {
  field: string;
  message: string;
}

const form = byId('application', HTMLFormElement);
const summary = byId('summary', HTMLElement);
const list = byId('summary-list', HTMLElement);
const postTo = form.dataset.postTo ?? '';
const payload: unknown = JSON.parse(form.dataset.payload ?? '{}');

function toBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(typeof reader.result === 'string' ? (reader.result.split(',')[1] ?? '') : '');
    reader.onerror = reject;
    reader.readAsDataURL(file);
  });
}

function problemsOf(body: unknown): Problem[] {
  if (typeof body !== 'object' || body === null || !('details' in body) || !Array.isArray(body.details)) return [];
  return body.details.filter((p): p is Problem => typeof p === 'object' && p !== null && typeof p.message === 'string');
}

function clearProblems(): void {
  for (const error of form.querySelectorAll<HTMLElement>('.error')) {
    error.hidden = true;
    error.textContent = '';
  }
  for (const invalid of form.querySelectorAll('[aria-invalid]')) invalid.removeAttribute('aria-invalid');
  summary.hidden = true;
  list.replaceChildren();
}

function showProblem(problem: Problem): void {
  const item = document.createElement('li');
  const input = document.getElementById(`f-${problem.field}`);
  const error = document.getElementById(`f-${problem.field}-error`);
  if (input && error) {
    input.setAttribute('aria-invalid', 'true');
    error.textContent = problem.message;
    error.hidden = false;
    const label = document.querySelector(`label[for="f-${problem.field}"]`)?.firstChild?.textContent ?? problem.field;
    const link = document.createElement('a');
    link.href = `#f-${problem.field}`;
    link.textContent = `${label.trim()}: ${problem.message}`;
    item.appendChild(link);
  } else {
    item.textContent = problem.message;
  }
  list.appendChild(item);
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearProblems();
  const values: Record<string, string> = {};
  for (const field of form.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input:not([type=file]),textarea'))
    values[field.name] = field.value;
  const attachments = [];
  for (const input of form.querySelectorAll<HTMLInputElement>('input[data-attachment]')) {
    for (const file of input.files ?? []) {
      attachments.push({
        field: input.name,
        fileName: file.name,
        contentType: file.type || 'application/octet-stream',
        contentBase64: await toBase64(file),
      });
    }
  }
  const response = await fetch(postTo, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ ...(typeof payload === 'object' ? payload : {}), values, attachments }),
  });
  if (response.ok) {
    form.hidden = true;
    const done = byId('done', HTMLElement);
    done.hidden = false;
    done.focus();
    return;
  }
  const problems = problemsOf(await response.json().catch(() => ({})));
  if (problems.length === 0) showProblem({ field: '', message: form.dataset.failed ?? '' });
  for (const problem of problems) showProblem(problem);
  summary.hidden = false;
  summary.focus();
});
