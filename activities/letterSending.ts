import { ApplicationFailure } from '@temporalio/common';
import { PopulationRegisterError } from '../integrations/populationRegister/populationRegister';
import { type MultichannelMessage, type PaperMailPart, type PostalAddress } from '../integrations/suomifiMessages/messagesService';
import { inspectPdf } from '../signing/errors';
import type { LetterRecord } from '../store/letters';
import type { LetterActivityDeps } from './letterActivities';

/**
 * What sending one letter takes, shared by the single letter's activities
 * and a batch page's bulk dispatch: the PDF (read and inspected once per
 * worker), its attachment at the service (uploaded once and reused until
 * it nears the service's 24-hour limit), the register lookup, and the
 * multichannel message with its paper part.
 */

export interface LetterPdf {
  bytes: Buffer;
  fileName: string;
  size: number;
  sha256: string;
  pageSizes: { width: number; height: number }[];
}

/** Suomi.fi Messages drops an attachment not used in a message within 24 hours; we stop reusing one well before. */
export const ATTACHMENT_REUSE_MS = 20 * 60 * 60 * 1000;

export function createLetterSending(deps: LetterActivityDeps, now: () => number = Date.now) {
  /** Versions never change, so a batch sharing one PDF reads it once per worker. Small PDFs only, few of them. */
  const pdfs = new Map<string, Promise<LetterPdf>>();
  const attachments = new Map<string, { attachmentId: Promise<string>; uploadedAt: number }>();

  function letterPdf(versionId: string): Promise<LetterPdf> {
    let cached = pdfs.get(versionId);
    if (!cached) {
      cached = (async () => {
        const version = await deps.store.getVersion(versionId);
        const bytes = await deps.store.readVersion(versionId);
        const { pageSizes } = await inspectPdf(bytes);
        return { bytes, fileName: version.fileName, size: version.size, sha256: version.sha256, pageSizes };
      })();
      cached.then(
        (pdf) => {
          if (pdf.size > 1024 * 1024) pdfs.delete(versionId);
        },
        () => pdfs.delete(versionId),
      );
      pdfs.set(versionId, cached);
      if (pdfs.size > 20) pdfs.delete(pdfs.keys().next().value!);
    }
    return cached;
  }

  /** A stored version's attachment id at the service, uploaded once and shared by every letter of that PDF while fresh. */
  function sharedAttachment(versionId: string, pdf: LetterPdf): Promise<string> {
    const cached = attachments.get(versionId);
    if (cached && now() - cached.uploadedAt < ATTACHMENT_REUSE_MS) return cached.attachmentId;
    const attachmentId = deps.messages.uploadAttachment({ fileName: pdf.fileName, bytes: pdf.bytes });
    attachments.set(versionId, { attachmentId, uploadedAt: now() });
    attachmentId.catch(() => attachments.delete(versionId));
    if (attachments.size > 50) attachments.delete(attachments.keys().next().value!);
    return attachmentId;
  }

  async function lookup(identityCode: string) {
    try {
      return await deps.register.lookupAddress(identityCode);
    } catch (error) {
      if (error instanceof PopulationRegisterError && !error.retryable) {
        throw ApplicationFailure.create({ type: 'PopulationRegister.refused', message: error.message, nonRetryable: true });
      }
      throw error;
    }
  }

  /** The postal address for the paper part; under a security ban read now and never kept. */
  async function paperAddress(letter: Pick<LetterRecord, 'address' | 'addressFrom' | 'recipientId'>): Promise<PostalAddress | undefined> {
    if (letter.address) {
      const a = letter.address;
      return { name: a.name, streetAddress: a.street, zipCode: a.postalCode, city: a.city, countryCode: a.countryCode || 'FI' };
    }
    if (letter.addressFrom !== 'security_ban') return undefined;
    const found = await lookup(letter.recipientId);
    if (found.kind !== 'security_ban' || !found.protectedAddress) return undefined;
    const hidden = found.protectedAddress.reveal();
    return { name: hidden.name, streetAddress: hidden.street, zipCode: hidden.postalCode, city: hidden.city, countryCode: 'FI' };
  }

  /** One multichannel message: the electronic part, and the paper part where an address is known. */
  function multichannelMessage(
    letter: Pick<LetterRecord, 'recipientId' | 'title' | 'body'>,
    externalId: string,
    attachmentId: string,
    address?: PostalAddress,
  ): MultichannelMessage {
    const files = [{ attachmentId }];
    const print = deps.config.messages.print;
    const paperMail: PaperMailPart | undefined = address
      ? {
          createAddressPage: true,
          files,
          recipient: { address },
          sender: { address: deps.senderAddress },
          printingAndEnvelopingService: {
            postiMessaging: { username: print.username, password: print.password, contactDetails: { email: print.contactEmail } },
          },
          colorPrinting: false,
          twoSidedPrinting: false,
          messageServiceType: 'Normal',
        }
      : undefined;
    return {
      externalId,
      recipient: { id: letter.recipientId },
      sender: { serviceId: deps.config.messages.serviceId },
      electronic: {
        title: letter.title,
        body: letter.body,
        bodyFormat: 'Text',
        messageServiceType: 'Normal',
        files,
        visibility: 'Recipient only',
      },
      ...(paperMail ? { paperMail } : {}),
    };
  }

  return { letterPdf, sharedAttachment, lookup, paperAddress, multichannelMessage };
}

export type LetterSending = ReturnType<typeof createLetterSending>;
