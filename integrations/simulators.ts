import http from 'node:http';
import { type OfficialMailConfig } from '../config/officialMail';
import { createPopulationRegisterSimulator } from './populationRegister/simulator';
import { SimulatedPeople } from './simulatedPeople';
import { createMessagesSimulator } from './suomifiMessages/simulator';

/**
 * Both official-mail simulators in one process, sharing one set of
 * simulated people so that a mailbox, an address and a security ban agree
 * between Suomi.fi Messages and the population register.
 */
export async function startOfficialMailSimulators(config: OfficialMailConfig): Promise<{ close: () => Promise<void> }> {
  const people = new SimulatedPeople();
  const servers: http.Server[] = [];
  const listen = (app: http.RequestListener, port: number) =>
    new Promise<void>((resolve, reject) => {
      const server = http.createServer(app);
      server.keepAliveTimeout = 30_000;
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        servers.push(server);
        resolve();
      });
    });
  await listen(
    createMessagesSimulator({
      people,
      username: config.messages.username,
      password: config.messages.password,
      eventStepMs: config.messages.simulatorEventStepMs,
    }),
    config.messages.simulatorPort,
  );
  await listen(
    createPopulationRegisterSimulator({
      people,
      username: config.populationRegister.username,
      password: config.populationRegister.password,
    }),
    config.populationRegister.simulatorPort,
  );
  return {
    close: async () => {
      await Promise.all(
        servers.map(
          (s) =>
            new Promise((r) => {
              s.closeAllConnections();
              s.close(r);
            }),
        ),
      );
    },
  };
}
