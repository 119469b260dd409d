import { type Client } from '@temporalio/client';
import { connectTemporalClient } from '../common/temporalClient';
import { type SinettiConfig } from '../config/config';
import { Letters } from '../store/letters';
import { VtjClient } from './populationRegister/vtjClient';
import { SuomifiMessagesClient } from './suomifiMessages/messagesClient';
import { messagesCredentialsFor } from './suomifiMessages/credentials';

/**
 * The official mail integrations as the configuration names them: the
 * real services or the local simulators, which speak the same protocols,
 * so only URLs and credentials differ. The Temporal client (for the event
 * poller's signals) is connected on first use.
 */
export function officialMailServices(config: SinettiConfig) {
  const mail = config.officialMail;
  // The password as last rotated, shared by every worker through the store.
  const credentials = messagesCredentialsFor(config);
  let client: Promise<Client> | undefined;
  const temporal = () => {
    client ??= connectTemporalClient(config).catch((error: unknown) => {
      client = undefined;
      throw error;
    });
    return client;
  };
  return {
    deps: {
      letters: new Letters(),
      messages: new SuomifiMessagesClient({
        baseUrl: mail.messages.url,
        username: mail.messages.username,
        password: mail.messages.password,
        passwords: () => credentials.passwords(),
        timeoutMs: mail.messages.timeoutMs,
      }),
      credentials,
      register: new VtjClient({
        url: mail.populationRegister.url,
        username: mail.populationRegister.username,
        password: mail.populationRegister.password,
        endUser: mail.populationRegister.endUser,
        timeoutMs: mail.messages.timeoutMs,
      }),
      config: mail,
      senderAddress: {
        name: config.organization,
        streetAddress: mail.senderAddress.street,
        zipCode: mail.senderAddress.postalCode,
        city: mail.senderAddress.city,
        countryCode: 'FI',
      },
      taskQueue: config.temporal.taskQueue,
      temporal,
    },
    close: () => {
      void client?.then((c) => c.connection.close()).catch(() => undefined);
    },
  };
}
