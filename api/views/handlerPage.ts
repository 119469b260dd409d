import escapeHtml from 'escape-html';
import { htmlPage } from './htmlPage';

/**
 * The case handler's page: sign in once, pick a round, see its
 * applications with their states, open one, ask for supplementation,
 * draft the decision, sign it, and download the round's table. It only
 * calls the handler API (/api/rounds, /api/applications) with the staff
 * session cookie, so the page can do nothing the API would not allow.
 */

const STYLE = `
*{box-sizing:border-box}body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;font-size:1rem;line-height:1.5;color:#1b1b1b;background:#f4f5f7}
header{background:#123c69;color:#fff;padding:.75rem 1rem}header p{margin:0;font-weight:600}
main{max-width:70rem;margin:0 auto;padding:1rem}section{background:#fff;border:1px solid #c9ced6;border-radius:.5rem;padding:1rem;margin:0 0 1rem}
h1{font-size:1.5rem;margin:.5rem 0 1rem}h2{font-size:1.2rem;margin:0 0 .5rem}
label{display:block;font-weight:600;margin:.6rem 0 .2rem}input,select,textarea{font:inherit;padding:.45rem;border:2px solid #5a6270;border-radius:.25rem;width:100%;max-width:30rem}
button{font:inherit;font-weight:600;padding:.45rem 1rem;margin:.6rem .4rem 0 0;border-radius:.3rem;border:2px solid #123c69;background:#123c69;color:#fff;cursor:pointer}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #c9ced6;vertical-align:top}
a{color:#0b4f9c}a:focus,button:focus,input:focus,select:focus,textarea:focus{outline:3px solid #c45500;outline-offset:2px}
.error{color:#a4000f;font-weight:600}
`;

const SCRIPT = `
const $=(id)=>document.getElementById(id);
async function api(path,options={}){const r=await fetch(path,{credentials:'same-origin',headers:{'Content-Type':'application/json'},...options});
  const body=r.status===204?null:await r.json().catch(()=>null);if(!r.ok)throw new Error((body&&body.message)||('HTTP '+r.status));return body;}
function say(text,isError){const m=$('message');m.textContent=text;m.className=isError?'error':'';}
function cell(row,text){const td=document.createElement('td');td.textContent=text==null?'':String(text);row.appendChild(td);return td;}
let current=null;
async function loadRound(){const round=$('round').value.trim();if(!round)return;
  const rows=await api('/api/rounds/'+encodeURIComponent(round)+'/applications');const body=$('applications');body.innerHTML='';
  for(const a of rows){const tr=document.createElement('tr');const td=cell(tr,'');const b=document.createElement('button');b.type='button';b.textContent=a.caseNumber||a.applicationId.slice(0,20);
    b.setAttribute('aria-label','Avaa '+(a.caseNumber||a.applicationId));b.addEventListener('click',()=>openApplication(a.applicationId));td.appendChild(b);
    cell(tr,a.formId);cell(tr,a.applicant);cell(tr,a.status);cell(tr,a.amountApplied);cell(tr,a.decision?a.decision.outcome+' '+a.decision.amount:'');cell(tr,a.payment?a.payment.paymentId:'');body.appendChild(tr);}
  $('list').hidden=false;
  for(const f of ['avustushakemus','kulukorvaus'])for(const x of ['xlsx','csv']){const l=$('export-'+f+'-'+x);l.href='/api/rounds/'+encodeURIComponent(round)+'/export/'+f+'.'+x;}
  say(rows.length+' hakemusta.');}
async function openApplication(id){let found;try{found=await api('/api/applications/'+encodeURIComponent(id));}catch(e){say(e.message,true);return;}
  const {application,state}=found;current=id;
  $('detail-title').textContent=(application.caseNumber||id)+' – '+((state&&state.status)||application.status);
  const dl=$('detail-values');dl.innerHTML='';for(const [k,v] of Object.entries(application.values)){const dt=document.createElement('dt');dt.textContent=k;const dd=document.createElement('dd');dd.textContent=v;dl.append(dt,dd);}
  const r=$('detail-rectification');r.textContent=application.rectification?('Oikaisuvaatimus '+application.rectification.receivedAt+': '+application.rectification.text):'';r.hidden=!application.rectification;
  $('detail').hidden=false;$('detail-title').focus();}
async function act(path,body){try{await api('/api/applications/'+encodeURIComponent(current)+path,{method:'POST',body:JSON.stringify(body)});say('Tallennettu.');await loadRound();await openApplication(current);}catch(e){say(e.message,true);}}
$('signin').addEventListener('submit',async(e)=>{e.preventDefault();try{const who=await api('/api/session',{method:'POST',body:JSON.stringify({token:$('token').value})});say('Kirjautunut: '+who.name+' ('+who.role+')');$('rounds').hidden=false;}catch(err){say(err.message,true);}});
$('round-form').addEventListener('submit',async(e)=>{e.preventDefault();try{await loadRound();}catch(err){say(err.message,true);}});
$('supplement-form').addEventListener('submit',(e)=>{e.preventDefault();act('/supplementation-request',{fields:$('supplement-fields').value.split(',').map((s)=>s.trim()).filter(Boolean),message:$('supplement-message').value,deadline:new Date($('supplement-deadline').value).toISOString()});});
$('decision-form').addEventListener('submit',(e)=>{e.preventDefault();act('/decision',{outcome:$('decision-outcome').value,amount:$('decision-amount').value,reasoning:$('decision-reasoning').value});});
$('sign').addEventListener('click',()=>act('/signature',{}));
$('rectification-form').addEventListener('submit',(e)=>{e.preventDefault();const body={resolution:$('rectification-resolution').value,reasoning:$('rectification-reasoning').value};
  if(body.resolution==='corrected'){body.outcome=$('rectification-outcome').value;body.amount=$('rectification-amount').value;}act('/rectification-resolution',body);});
`;

export function handlerPage(organization: string): string {
  const body = `<h1>Hakemusten käsittely</h1>
<p id="message" role="status" aria-live="polite"></p>
<section><h2>Kirjaudu</h2><form id="signin"><label for="token">Käsittelijän tunniste</label><input id="token" type="password" autocomplete="current-password"><button type="submit">Kirjaudu</button></form></section>
<section id="rounds" hidden><h2>Haku</h2><form id="round-form"><label for="round">Hakukierros</label><input id="round" type="text"><button type="submit">Näytä hakemukset</button></form></section>
<section id="list" hidden><h2>Hakemukset</h2>
<p>Taulukko: <a id="export-avustushakemus-xlsx" href="#">avustukset XLSX</a>, <a id="export-avustushakemus-csv" href="#">avustukset CSV</a>, <a id="export-kulukorvaus-xlsx" href="#">kulukorvaukset XLSX</a>, <a id="export-kulukorvaus-csv" href="#">kulukorvaukset CSV</a></p>
<table><caption>Hakukierroksen hakemukset</caption><thead><tr><th scope="col">Asia</th><th scope="col">Lomake</th><th scope="col">Hakija</th><th scope="col">Tila</th><th scope="col">Haettu (€)</th><th scope="col">Päätös</th><th scope="col">Maksu</th></tr></thead><tbody id="applications"></tbody></table></section>
<section id="detail" hidden><h2 id="detail-title" tabindex="-1"></h2><dl id="detail-values"></dl>
<form id="supplement-form"><h3>Täydennyspyyntö</h3><label for="supplement-fields">Täydennettävät kentät (pilkuin eroteltuna)</label><input id="supplement-fields" type="text">
<label for="supplement-message">Viesti hakijalle</label><textarea id="supplement-message" rows="3"></textarea><label for="supplement-deadline">Määräaika</label><input id="supplement-deadline" type="datetime-local">
<button type="submit">Lähetä täydennyspyyntö</button></form>
<form id="decision-form"><h3>Päätösesitys</h3><label for="decision-outcome">Päätös</label><select id="decision-outcome"><option value="approve">Hyväksytään</option><option value="partly">Hyväksytään osittain</option><option value="deny">Hylätään</option></select>
<label for="decision-amount">Myönnettävä summa (€)</label><input id="decision-amount" type="text" inputmode="decimal"><label for="decision-reasoning">Perustelut</label><textarea id="decision-reasoning" rows="4"></textarea>
<button type="submit">Lähetä allekirjoitettavaksi</button></form>
<button id="sign" type="button">Allekirjoita päätös</button>
<p id="detail-rectification" hidden></p>
<form id="rectification-form"><h3>Päätös oikaisuvaatimukseen</h3><label for="rectification-resolution">Ratkaisu</label><select id="rectification-resolution"><option value="upheld">Päätös pysyy</option><option value="corrected">Päätöstä oikaistaan</option></select>
<label for="rectification-outcome">Oikaistu päätös</label><select id="rectification-outcome"><option value="approve">Hyväksytään</option><option value="partly">Hyväksytään osittain</option><option value="deny">Hylätään</option></select>
<label for="rectification-amount">Oikaistu summa (€)</label><input id="rectification-amount" type="text" inputmode="decimal"><label for="rectification-reasoning">Perustelut</label><textarea id="rectification-reasoning" rows="3"></textarea>
<button type="submit">Lähetä allekirjoitettavaksi</button></form></section>`;
  return htmlPage({ language: 'fi', title: `Hakemusten käsittely – ${organization}`, style: STYLE, header: `<p>${escapeHtml(organization)}</p>`, body, script: SCRIPT });
}
