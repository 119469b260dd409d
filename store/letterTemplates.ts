import { storeModel } from './storeModel';
import { Schema } from 'mongoose';
import { NotFoundError } from '../common/errors';

/** Letter templates of the registry: a batch can send one letter per row, rendered from a template and the row's columns. */

export interface LetterTemplateRecord {
  _id: string;
  name: string;
  /** With {{column}} placeholders, like the body. */
  title: string;
  /** Paragraphs separated by blank lines. */
  body: string;
  language: 'fi' | 'sv' | 'en';
  placeholders: string[];
  createdBy: string;
  createdAt: Date;
}

const templateSchema = new Schema<LetterTemplateRecord>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    title: { type: String, required: true },
    body: { type: String, required: true },
    language: { type: String, required: true },
    placeholders: { type: [String], default: [] },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'letter_templates' },
);

const LetterTemplateModel = storeModel<LetterTemplateRecord>('LetterTemplate', templateSchema);

export class LetterTemplates {
  async create(template: LetterTemplateRecord): Promise<void> {
    await LetterTemplateModel.create(template);
  }

  async get(templateId: string): Promise<LetterTemplateRecord> {
    const template = await LetterTemplateModel.findById(templateId).lean();
    if (!template) throw new NotFoundError(`Letter template ${templateId}`);
    return template;
  }
}
