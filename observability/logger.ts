import pino from 'pino';

/**
 * Structured logs that never carry personal data: names, e-mails, identity
 * codes, addresses and tokens are redacted wherever they appear in a logged
 * object, so a careless `log.info({ signer })` still leaks nothing.
 */
const PERSONAL_FIELDS = [
  'name',
  'email',
  'to',
  'phone',
  'address',
  'identityCode',
  'personalIdentityCode',
  'ssn',
  'token',
  'authorization',
  'signerName',
  'ip',
];

export const logger = pino({
  level: process.env.LOG_LEVEL ?? 'info',
  base: { service: process.env.SINETTI_SERVICE ?? 'sinetti' },
  redact: {
    paths: [...PERSONAL_FIELDS, ...PERSONAL_FIELDS.map((f) => `*.${f}`), 'req.headers.authorization', 'req.headers.cookie'],
    censor: '[redacted]',
  },
});

export type Logger = typeof logger;
