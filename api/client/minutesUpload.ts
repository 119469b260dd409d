import { byId, messageOf } from './staffApi';

/** The secretary's page: a corrected version of the minutes is uploaded as the PDF itself, which opens a new round. Its words come from the form's data attributes, in the page's language. */

const form = byId('upload-form', HTMLFormElement);
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const status = byId('upload-status', HTMLElement);
  const file = byId('pdf', HTMLInputElement).files?.[0];
  if (!file) return;
  status.textContent = form.dataset.uploading ?? '';
  const response = await fetch(form.action, {
    method: 'POST',
    headers: { 'Content-Type': 'application/pdf', 'X-File-Name': encodeURIComponent(file.name) },
    body: file,
    credentials: 'same-origin',
  });
  const answer: unknown = await response.json().catch(() => ({}));
  if (response.ok) {
    status.textContent = form.dataset.uploaded ?? '';
    window.location.reload();
  } else {
    status.textContent = messageOf(answer) ?? form.dataset.failed ?? '';
  }
});
