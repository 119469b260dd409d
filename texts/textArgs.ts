/** What a text about one section of the minutes needs to know of it. */
export interface SectionRef {
  number: string;
  title: string;
  firstPage: number;
  lastPage: number;
}

/** What a mail's texts are written from; the deadline already as the recipient reads it. */
export interface MailData {
  organization: string;
  recipientName: string;
  documentTitle: string;
  deadline: string;
  reason?: string;
  actorName?: string;
}
