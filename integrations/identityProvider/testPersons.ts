/**
 * The embedded provider's stand-in for Suomi.fi e-Identification: test
 * persons with valid identity codes (checksums checked in
 * test/strongIdentification.test.ts) and the level of assurance their
 * "bank" gives. The chooser page also has a cancel button, which answers
 * the signer's page with access_denied, as Suomi.fi does when a person
 * cancels. Never used in production.
 */
export const LOA_SUBSTANTIAL = 'http://ftn.ficora.fi/2017/loa2';
export const LOA_HIGH = 'http://ftn.ficora.fi/2017/loa3';

export interface TestPerson {
  id: string;
  name: string;
  identityCode: string;
  acr: typeof LOA_SUBSTANTIAL | typeof LOA_HIGH;
  /** How the person identified in the simulation, as Suomi.fi names it. */
  method: string;
}

export const TEST_PERSONS: TestPerson[] = [
  { id: 'maija', name: 'Maija Meikäläinen', identityCode: '010280-123V', acr: LOA_HIGH, method: 'Test bank ID' },
  { id: 'matti', name: 'Matti Möttönen', identityCode: '150875-2385', acr: LOA_SUBSTANTIAL, method: 'Test mobile ID' },
  { id: 'teppo', name: 'Teppo Testaaja', identityCode: '110505A135S', acr: LOA_HIGH, method: 'Test bank ID' },
];

/** Signers' identification is a client of its own, as a municipality registers a separate service at Suomi.fi. */
export const SIGNER_CLIENT = { clientId: 'sinetti-signers', clientSecret: 'sinetti-development-signer-client-secret' };

/**
 * The same service registered as Suomi.fi and the Finnish Trust Network want it: its ID tokens encrypted (JWE,
 * RSA-OAEP-256 with A256GCM) to Sinetti's key. Sinetti uses this one; the plain client stays for older checkouts.
 */
export const ENCRYPTING_SIGNER_CLIENT = {
  clientId: 'sinetti-signers-encrypted',
  clientSecret: 'sinetti-development-signer-client-secret',
  idTokenEncryption: { alg: 'RSA-OAEP-256', enc: 'A256GCM' } as const,
};

/** Where Sinetti takes the provider's answer for signers (registered as the client's redirect URI). */
export const SIGNER_CALLBACK_PATH = '/identification/callback';

export const IDENTITY_CODE_CLAIM = 'urn:oid:1.2.246.21';
