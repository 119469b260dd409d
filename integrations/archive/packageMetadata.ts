import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/**
 * The records metadata of an archive package, in JSON with the Sähke2
 * element names (Function, Title, NativeId, Status, Type, Agent.Role,
 * Date.Created, Restriction.PublicityClass, SecurityPeriod, SecurityReason,
 * PersonalData, RetentionPeriod, RetentionReason) and the JHS 191 / TOS
 * values Sinetti keeps for every archived document (config/recordsPlan.ts).
 * JSON rather than Sähke2's XML: the receiving archive maps it; the schema
 * below travels in every package (data/metadata.schema.json) and every
 * package is checked against it before it leaves.
 */

export const METADATA_SCHEMA_ID = 'https://sinetti.example/schemas/archive-package-metadata/1.json';

export interface PackageFileMetadata {
  Use: 'Document' | 'AuditCertificate' | 'ValidationReport' | 'Attachment';
  Path: string;
  MimeType: string;
  Sha256: string;
  Size: number;
}

export interface PackageSignatureMetadata {
  Agent: { Role: 'Signer' | 'Seal'; Name?: string; Certificate?: string };
  ClaimedSigningTime?: string;
  Method?: string;
  Valid: boolean;
}

export interface PackageMetadata {
  MetadataVersion: '1';
  Package: { PackageId: string; Created: string; Organisation: string; SourceSystem: 'Sinetti' };
  Record: {
    NativeId: string;
    ProcessId: string;
    Type: string;
    Title: string;
    Status: string;
    Function: { TaskClass: string; Title: string };
    Date: { Created: string; Archived: string };
    Restriction: {
      PublicityClass: string;
      SecurityPeriod?: number;
      SecurityReason?: string;
      SecurityPeriodStart?: string;
      PersonalData: 'none' | 'contains' | 'sensitive';
    };
    Retention: { RetentionPeriod: number | 'permanent'; RetentionReason: string; RetentionPeriodStart: string };
    Format: { PdfA: boolean; Note: string };
    Signatures: PackageSignatureMetadata[];
    Files: PackageFileMetadata[];
  };
}

const text = { type: 'string', minLength: 1 };
const dateTime = { type: 'string', format: 'date-time' };

export const PACKAGE_METADATA_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: METADATA_SCHEMA_ID,
  title: 'Sinetti archive package metadata (Sähke2 element names, JHS 191 values)',
  type: 'object',
  additionalProperties: false,
  required: ['MetadataVersion', 'Package', 'Record'],
  properties: {
    MetadataVersion: { const: '1' },
    Package: {
      type: 'object',
      additionalProperties: false,
      required: ['PackageId', 'Created', 'Organisation', 'SourceSystem'],
      properties: { PackageId: text, Created: dateTime, Organisation: text, SourceSystem: { const: 'Sinetti' } },
    },
    Record: {
      type: 'object',
      additionalProperties: false,
      required: [
        'NativeId',
        'ProcessId',
        'Type',
        'Title',
        'Status',
        'Function',
        'Date',
        'Restriction',
        'Retention',
        'Format',
        'Signatures',
        'Files',
      ],
      properties: {
        NativeId: text,
        ProcessId: text,
        Type: { enum: ['Työsopimus', 'Pöytäkirja', 'Päätös', 'Asiakirja'] },
        Title: text,
        Status: text,
        Function: {
          type: 'object',
          additionalProperties: false,
          required: ['TaskClass', 'Title'],
          properties: { TaskClass: { type: 'string', pattern: '^\\d{2}( \\d{2})*$' }, Title: text },
        },
        Date: {
          type: 'object',
          additionalProperties: false,
          required: ['Created', 'Archived'],
          properties: { Created: dateTime, Archived: dateTime },
        },
        Restriction: {
          type: 'object',
          additionalProperties: false,
          required: ['PublicityClass', 'PersonalData'],
          properties: {
            PublicityClass: { enum: ['Julkinen', 'Osittain salassa pidettävä', 'Salassa pidettävä', 'Ei-julkinen'] },
            SecurityPeriod: { enum: [25, 50, 100] },
            SecurityReason: text,
            SecurityPeriodStart: text,
            PersonalData: { enum: ['none', 'contains', 'sensitive'] },
          },
          // A (partly) secret record names its period and reason.
          if: { properties: { PublicityClass: { enum: ['Osittain salassa pidettävä', 'Salassa pidettävä'] } } },
          then: { properties: { SecurityPeriod: true, SecurityReason: true }, required: ['SecurityPeriod', 'SecurityReason'] },
        },
        Retention: {
          type: 'object',
          additionalProperties: false,
          required: ['RetentionPeriod', 'RetentionReason', 'RetentionPeriodStart'],
          properties: {
            RetentionPeriod: { oneOf: [{ enum: [0, 3, 6, 10, 20, 50, 120] }, { const: 'permanent' }] },
            RetentionReason: text,
            RetentionPeriodStart: text,
          },
        },
        Format: {
          type: 'object',
          additionalProperties: false,
          required: ['PdfA', 'Note'],
          properties: { PdfA: { type: 'boolean' }, Note: text },
        },
        Signatures: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['Agent', 'Valid'],
            properties: {
              Agent: {
                type: 'object',
                additionalProperties: false,
                required: ['Role'],
                properties: { Role: { enum: ['Signer', 'Seal'] }, Name: text, Certificate: text },
              },
              ClaimedSigningTime: dateTime,
              Method: text,
              Valid: { type: 'boolean' },
            },
          },
        },
        Files: {
          type: 'array',
          minItems: 3,
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['Use', 'Path', 'MimeType', 'Sha256', 'Size'],
            properties: {
              Use: { enum: ['Document', 'AuditCertificate', 'ValidationReport', 'Attachment'] },
              Path: { type: 'string', pattern: '^data/[A-Za-z0-9._/-]+$' },
              MimeType: text,
              Sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' },
              Size: { type: 'integer', minimum: 0 },
            },
          },
        },
      },
    },
  },
} as const;

let validator: ReturnType<Ajv2020['compile']> | undefined;

/** The schema's complaints about a metadata document, or none. */
export function metadataProblems(metadata: unknown): string[] {
  if (!validator) {
    const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
    addFormats(ajv);
    validator = ajv.compile(PACKAGE_METADATA_SCHEMA);
  }
  return validator(metadata) ? [] : (validator.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message}`);
}
