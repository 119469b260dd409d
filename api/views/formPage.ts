import escapeHtml from 'escape-html';
import type { FormDefinition, FormField } from '../../forms/formDefinitions';
import { LANGUAGES, Language } from '../../mail/templates';
import { helsinkiTime } from '../../common/helsinkiTime';
import { htmlPage, languageNav } from './htmlPage';

/**
 * The public page of an e-form, built from the form's definition: one
 * labelled input per field with its help text, file inputs with their
 * rules, and a summary of errors that links to each field. The page posts
 * the same JSON as the API, so the page and the API cannot disagree.
 */

const TEXTS = {
  fi: { languageName: 'Suomi', languages: 'Kielet', required: 'pakollinen', optional: 'vapaaehtoinen', send: 'Lähetä hakemus', errors: 'Hakemuksessa on korjattavaa', sent: 'Kiitos! Hakemus on vastaanotettu. Saat kuittauksen ja asianumeron sähköpostiisi.', failed: 'Lähetys ei onnistunut. Yritä hetken kuluttua uudelleen.', attachments: 'Liitteet' },
  sv: { languageName: 'Svenska', languages: 'Språk', required: 'obligatorisk', optional: 'frivillig', send: 'Skicka ansökan', errors: 'Ansökan har fel som ska rättas', sent: 'Tack! Ansökan har tagits emot. Du får ett kvitto med ärendenumret per e-post.', failed: 'Det gick inte att skicka. Försök igen om en stund.', attachments: 'Bilagor' },
  en: { languageName: 'English', languages: 'Languages', required: 'required', optional: 'optional', send: 'Send the application', errors: 'Please fix the following', sent: 'Thank you! Your application has been received. You will get an acknowledgement with the case number by e-mail.', failed: 'Sending failed. Please try again in a moment.', attachments: 'Attachments' },
} as const;

const STYLE = `
*{box-sizing:border-box}body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;font-size:1.0625rem;line-height:1.5;color:#1b1b1b;background:#f4f5f7}
header{background:#123c69;color:#fff;padding:.75rem 1rem}header p{margin:0;font-weight:600}
nav ul{list-style:none;margin:.5rem 0 0;padding:0;display:flex;gap:1rem}nav a{color:#fff}
main{max-width:40rem;margin:0 auto;padding:1rem}section,fieldset{background:#fff;border:1px solid #c9ced6;border-radius:.5rem;padding:1rem;margin:0 0 1rem}
h1{font-size:1.5rem;margin:.5rem 0 1rem}h2{font-size:1.2rem;margin:0 0 .5rem}legend{font-weight:700;font-size:1.1rem}
label{display:block;font-weight:600;margin:.9rem 0 .25rem}
input,textarea{width:100%;font:inherit;padding:.6rem;border:2px solid #5a6270;border-radius:.25rem;background:#fff}
input[aria-invalid=true],textarea[aria-invalid=true]{border-color:#a4000f}
a{color:#0b4f9c}a:focus,button:focus,input:focus,textarea:focus{outline:3px solid #c45500;outline-offset:2px}
.hint{color:#4a4f57;font-size:.95rem;margin:.1rem 0 .25rem}.error{color:#a4000f;font-weight:600;margin:.25rem 0}
button{font:inherit;font-weight:600;min-height:3rem;width:100%;margin-top:1rem;border-radius:.4rem;border:2px solid #123c69;background:#123c69;color:#fff;cursor:pointer}
#summary{border:2px solid #a4000f}#done{border:2px solid #1d6b2f}
`;

const INPUT_TYPES: Partial<Record<FormField['type'], string>> = { email: 'email', date: 'date' };
const INPUT_MODES: Partial<Record<FormField['type'], string>> = { amount: 'decimal', integer: 'numeric', postalCode: 'numeric' };
const AUTOCOMPLETE: Record<string, string> = { email: 'email', street: 'street-address', postalCode: 'postal-code', city: 'address-level2', fullName: 'name', contactName: 'name' };

function fieldHtml(field: FormField, language: Language): string {
  const t = TEXTS[language];
  const id = `f-${field.name}`;
  const described = [field.help ? `${id}-hint` : '', `${id}-error`].filter(Boolean).join(' ');
  const common = `id="${id}" name="${escapeHtml(field.name)}" aria-describedby="${described}"${field.required ? ' required aria-required="true"' : ''}`
    + (field.maxLength ? ` maxlength="${field.maxLength}"` : '')
    + (AUTOCOMPLETE[field.name] ? ` autocomplete="${AUTOCOMPLETE[field.name]}"` : '');
  const control = field.type === 'textarea'
    ? `<textarea ${common} rows="4"></textarea>`
    : `<input type="${INPUT_TYPES[field.type] ?? 'text'}" ${common}${INPUT_MODES[field.type] ? ` inputmode="${INPUT_MODES[field.type]}"` : ''}>`;
  return `<label for="${id}">${escapeHtml(field.label[language])} <span class="hint">(${field.required ? t.required : t.optional})</span></label>`
    + (field.help ? `<p class="hint" id="${id}-hint">${escapeHtml(field.help[language])}</p>` : '')
    + control + `<p class="error" id="${id}-error" hidden></p>`;
}

/**
 * The form, or the part of it a supplementation asks for (`only`), posting
 * JSON to `postTo` with `payload` alongside the values and attachments.
 */
export interface FormPageModel {
  form: FormDefinition;
  language: Language;
  organization: string;
  /** Query string kept by the language links, e.g. "round=2026-spring". */
  query: string;
  postTo: string;
  payload: Record<string, string>;
  only?: string[];
  intro?: string;
  doneText?: string;
}

export function formPage(m: FormPageModel): string {
  const { form, language } = m;
  const t = TEXTS[language];
  const title = form.title[language];
  const asked = (name: string) => !m.only || m.only.includes(name);
  const nav = languageNav(t.languages, language, LANGUAGES, (l) => ({ href: `?lang=${l}${m.query ? `&${m.query}` : ''}`, name: TEXTS[l].languageName }));
  const fields = form.fields.filter((f) => asked(f.name)).map((f) => fieldHtml(f, language)).join('');
  const attachments = form.attachments.filter((a) => asked(a.name)).map((a) => {
    const id = `f-${a.name}`;
    return `<label for="${id}">${escapeHtml(a.label[language])} <span class="hint">(${a.required ? t.required : t.optional})</span></label>`
      + (a.help ? `<p class="hint" id="${id}-hint">${escapeHtml(a.help[language])}</p>` : '')
      + `<input type="file" id="${id}" name="${escapeHtml(a.name)}" data-attachment accept="${a.types.join(',')}" aria-describedby="${a.help ? `${id}-hint ` : ''}${id}-error"${a.required ? ' aria-required="true"' : ''}>`
      + `<p class="error" id="${id}-error" hidden></p>`;
  }).join('');
  const script = `
const form=document.getElementById('application');const summary=document.getElementById('summary');const list=document.getElementById('summary-list');
const toBase64=(file)=>new Promise((ok,fail)=>{const r=new FileReader();r.onload=()=>ok(String(r.result).split(',')[1]||'');r.onerror=fail;r.readAsDataURL(file);});
form.addEventListener('submit',async(event)=>{event.preventDefault();
  for(const e of form.querySelectorAll('.error')){e.hidden=true;e.textContent='';}
  for(const e of form.querySelectorAll('[aria-invalid]'))e.removeAttribute('aria-invalid');
  summary.hidden=true;list.innerHTML='';
  const values={};for(const el of form.querySelectorAll('input:not([type=file]),textarea'))values[el.name]=el.value;
  const attachments=[];for(const el of form.querySelectorAll('input[data-attachment]')){for(const f of el.files){attachments.push({field:el.name,fileName:f.name,contentType:f.type||'application/octet-stream',contentBase64:await toBase64(f)});}}
  const response=await fetch(${JSON.stringify(m.postTo)},{method:'POST',headers:{'Content-Type':'application/json'},body:JSON.stringify({...${JSON.stringify(m.payload)},values,attachments})});
  if(response.ok){form.hidden=true;const done=document.getElementById('done');done.hidden=false;done.focus();return;}
  const body=await response.json().catch(()=>({}));const problems=Array.isArray(body.details)?body.details:[];
  if(!problems.length){list.innerHTML='';const li=document.createElement('li');li.textContent=${JSON.stringify(t.failed)};list.appendChild(li);}
  for(const p of problems){const input=document.getElementById('f-'+p.field);const li=document.createElement('li');
    if(input){input.setAttribute('aria-invalid','true');const err=document.getElementById('f-'+p.field+'-error');err.textContent=p.message;err.hidden=false;
      const a=document.createElement('a');a.href='#f-'+p.field;a.textContent=(document.querySelector('label[for="f-'+p.field+'"]')?.firstChild?.textContent||p.field).trim()+': '+p.message;li.appendChild(a);}
    else li.textContent=p.message;list.appendChild(li);}
  summary.hidden=false;summary.focus();});`;
  const body = `<h1>${escapeHtml(title)}</h1>`
    + `<section id="summary" tabindex="-1" role="alert" hidden><h2>${escapeHtml(t.errors)}</h2><ul id="summary-list"></ul></section>`
    + (m.intro ? `<section><p>${escapeHtml(m.intro)}</p></section>` : '')
    + `<section id="done" tabindex="-1" role="status" hidden><p>${escapeHtml(m.doneText ?? t.sent)}</p></section>`
    + `<form id="application" novalidate>${fields ? `<fieldset><legend>${escapeHtml(title)}</legend>${fields}</fieldset>` : ''}`
    + (attachments ? `<fieldset><legend>${escapeHtml(t.attachments)}</legend>${attachments}</fieldset>` : '')
    + `<button type="submit">${escapeHtml(t.send)}</button></form>`;
  return htmlPage({ language, title: `${title} – ${m.organization}`, style: STYLE, header: `<p>${escapeHtml(m.organization)}</p>${nav}`, body, script });
}

const RECTIFICATION = {
  fi: { title: 'Oikaisuvaatimus', label: 'Mitä päätöksestä vaaditaan muutettavaksi ja miksi', send: 'Lähetä oikaisuvaatimus', sent: 'Oikaisuvaatimus on vastaanotettu. Käsittelijä käsittelee sen, ja saat siihen päätöksen.', failed: 'Lähetys ei onnistunut. Yritä hetken kuluttua uudelleen.', deadline: 'Oikaisuvaatimusaika päättyy' },
  sv: { title: 'Begäran om omprövning', label: 'Vilken ändring i beslutet du begär och varför', send: 'Skicka begäran om omprövning', sent: 'Begäran om omprövning har tagits emot. Handläggaren behandlar den och du får ett beslut.', failed: 'Det gick inte att skicka. Försök igen om en stund.', deadline: 'Tiden för begäran om omprövning går ut' },
  en: { title: 'Request for rectification', label: 'What you ask to be changed in the decision, and why', send: 'Send the request', sent: 'Your request for rectification has been received. The handler will deal with it and you will get a decision on it.', failed: 'Sending failed. Please try again in a moment.', deadline: 'The period for requesting rectification ends' },
} as const;

/** The page behind the link sent with a decision: one text box, posted as JSON to `postTo`. */
export function rectificationPage(m: { language: Language; organization: string; caseNumber: string; endsAt: Date; postTo: string }): string {
  const t = RECTIFICATION[m.language];
  const ends = helsinkiTime(m.endsAt, m.language, 'long', 'short');
  const script = `
const form=document.getElementById('rectification');form.addEventListener('submit',async(event)=>{event.preventDefault();
  const error=document.getElementById('text-error');error.hidden=true;
  const response=await fetch(${JSON.stringify(m.postTo)},{method:'POST',headers:{'Content-Type':'application/json'},body:JSON.stringify({text:document.getElementById('text').value})});
  if(response.ok){form.hidden=true;const done=document.getElementById('done');done.hidden=false;done.focus();return;}
  const body=await response.json().catch(()=>({}));error.textContent=(body.details&&body.details[0]&&body.details[0].message)||body.message||${JSON.stringify(t.failed)};error.hidden=false;
  document.getElementById('text').setAttribute('aria-invalid','true');document.getElementById('text').focus();});`;
  const body = `<h1>${escapeHtml(t.title)}: ${escapeHtml(m.caseNumber)}</h1><section><p>${escapeHtml(t.deadline)} ${escapeHtml(ends)}.</p></section>`
    + `<section id="done" tabindex="-1" role="status" hidden><p>${escapeHtml(t.sent)}</p></section>`
    + `<form id="rectification" novalidate><label for="text">${escapeHtml(t.label)}</label>`
    + `<textarea id="text" name="text" rows="8" required aria-required="true" aria-describedby="text-error" maxlength="10000"></textarea>`
    + `<p class="error" id="text-error" role="alert" hidden></p><button type="submit">${escapeHtml(t.send)}</button></form>`;
  return htmlPage({ language: m.language, title: `${t.title} – ${m.organization}`, style: STYLE, header: `<p>${escapeHtml(m.organization)}</p>`, body, script });
}
