import fs from 'node:fs';
import { Client, Connection, type TLSConfig } from '@temporalio/client';
import { type SinettiConfig } from '../config/config';
import { sinettiDataConverter } from './payloadKeys';

/**
 * Where and how to reach Temporal's frontend, for the client here and the
 * workers' NativeConnection alike: with TEMPORAL_TLS_* set, over mutual TLS,
 * so only holders of a client certificate reach the port at all.
 */
export function temporalConnectionOptions(config: SinettiConfig): { address: string; tls?: TLSConfig } {
  const files = config.temporal.tls;
  if (!files) return { address: config.temporal.address };
  const read = (file: string | undefined) => (file ? fs.readFileSync(file) : undefined);
  const crt = read(files.certPath);
  const key = read(files.keyPath);
  return {
    address: config.temporal.address,
    tls: {
      serverNameOverride: files.serverName,
      serverRootCACertificate: read(files.caPath),
      clientCertPair: crt && key ? { crt, key } : undefined,
    },
  };
}

/** The one way Sinetti's API, scripts and tests reach Temporal: always through the payload codec. */
export async function connectTemporalClient(config: SinettiConfig): Promise<Client> {
  const connection = await Connection.connect(temporalConnectionOptions(config));
  return new Client({ connection, namespace: config.temporal.namespace, dataConverter: sinettiDataConverter(config) });
}
