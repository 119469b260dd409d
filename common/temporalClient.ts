import { Client, Connection } from '@temporalio/client';
import { SinettiConfig } from '../config/config';
import { sinettiDataConverter } from './payloadKeys';

/** The one way Sinetti's API, scripts and tests reach Temporal: always through the payload codec. */
export async function connectTemporalClient(config: SinettiConfig): Promise<Client> {
  const connection = await Connection.connect({ address: config.temporal.address });
  return new Client({ connection, namespace: config.temporal.namespace, dataConverter: sinettiDataConverter(config) });
}
