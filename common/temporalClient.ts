import { Client, Connection } from '@temporalio/client';
import { SinettiConfig } from '../config/config';

/** The one way Sinetti's API, scripts and tests reach Temporal. */
export async function connectTemporalClient(config: SinettiConfig): Promise<Client> {
  const connection = await Connection.connect({ address: config.temporal.address });
  return new Client({ connection, namespace: config.temporal.namespace });
}
