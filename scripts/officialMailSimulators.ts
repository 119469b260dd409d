import { loadConfig } from '../config/config';
import { startOfficialMailSimulators } from '../integrations/simulators';

/** The Suomi.fi Messages and population register simulators as a process of their own (started by embeddedStack). */
startOfficialMailSimulators(loadConfig().officialMail).then(
  () => console.log('official mail simulators listening'),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
