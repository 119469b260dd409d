import fs from 'node:fs';
import path from 'node:path';
import { SinettiConfig } from '../config/config';
import { loadOrCreateDevelopmentCredentials, loadPkcs12Credentials, SigningCredentials } from '../signing/credentials';

/** Production seals with the configured PKCS#12; development with a CA and seal certificate made on first start. */
export async function loadSigningCredentials(config: SinettiConfig): Promise<SigningCredentials> {
  if (config.signing.p12Path) {
    return loadPkcs12Credentials(fs.readFileSync(config.signing.p12Path), config.signing.p12Password ?? '');
  }
  return loadOrCreateDevelopmentCredentials(path.join(config.dataDir, 'signing'), config.organization);
}
