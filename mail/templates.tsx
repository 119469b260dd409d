import { renderPage } from '../api/views/kit/page';
import { helsinkiTime } from '../common/helsinkiTime';
import { type Catalog, textsFor } from '../texts/catalog';
import type { Language } from '../texts/language';
import type { MailData } from '../texts/textArgs';

/**
 * Mail for external people and staff, in Finnish, Swedish and English: the
 * texts are in the language catalogs (texts/*.ts, `mail`), and this is
 * their one rendering as plain text and as HTML, so every language says
 * the same.
 */

export { LANGUAGES, type Language } from '../texts/language';

export interface TemplateData {
  organization: string;
  recipientName: string;
  documentTitle: string;
  link?: string;
  deadline?: Date;
  reason?: string;
  actorName?: string;
}

export type TemplateName = keyof Catalog['mail'];

interface MailTemplate {
  subject: (d: MailData) => string;
  lines: ((d: MailData) => string)[];
  action?: string;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

function MailBody(p: {
  language: Language;
  lines: string[];
  action?: { label: string; href: string };
  organization: string;
  footer: string;
}) {
  return (
    <html lang={p.language}>
      <body style="font-family:sans-serif;line-height:1.5">
        {p.lines.map((line) => (
          <p>{line}</p>
        ))}
        {p.action ? (
          <p>
            <a
              href={p.action.href}
              style="display:inline-block;padding:12px 20px;background:#1a4f8b;color:#fff;text-decoration:none;border-radius:4px"
            >
              {p.action.label}
            </a>
          </p>
        ) : null}
        <p>
          — {p.organization}
          <br />
          <small>{p.footer}</small>
        </p>
      </body>
    </html>
  );
}

export function renderMail(name: TemplateName, language: Language, data: TemplateData): RenderedMail {
  const texts = textsFor(language);
  const template: MailTemplate = texts.mail[name];
  const values: MailData = { ...data, deadline: data.deadline ? helsinkiTime(data.deadline, language, 'long', 'short') : '' };
  const lines = template.lines.map((line) => line(values));
  const action = template.action && data.link ? { label: template.action, href: data.link } : undefined;
  const text = [...lines, ...(action ? [`${action.label}: ${action.href}`] : []), '', `— ${data.organization}`, texts.mailFooter].join(
    '\n',
  );
  const html = renderPage(
    <MailBody language={language} lines={lines} action={action} organization={data.organization} footer={texts.mailFooter} />,
  );
  return { subject: template.subject(values), text, html };
}
