import { SinettiError } from '../common/errors';

/**
 * The records management plan (tiedonohjaussuunnitelma, TOS) as Sinetti
 * uses it: choosing a task class fills in publicity, retention and personal
 * data, so nobody types them per document. Each municipality keeps its own
 * plan; the rows below are this installation's defaults and are meant to be
 * replaced with the municipality's approved TOS. Field names follow Sähke2.
 */

export type PublicityClass = 'Julkinen' | 'Osittain salassa pidettävä' | 'Salassa pidettävä' | 'Ei-julkinen';
export type PersonalData = 'none' | 'contains' | 'sensitive';

export interface RecordsMetadata {
  taskClass: string;
  function: string;
  publicityClass: PublicityClass;
  securityPeriodYears?: 25 | 50 | 100;
  securityReason?: string;
  /** When the security period starts to run. */
  securityPeriodStart?: string;
  /** Years; 'permanent' for pysyvä säilytys. */
  retentionPeriod: 0 | 3 | 6 | 10 | 20 | 50 | 120 | 'permanent';
  retentionReason: string;
  /** The event the retention period runs from. */
  retentionStart: string;
  personalData: PersonalData;
}

export const RECORDS_PLAN: Record<string, RecordsMetadata> = {
  '02 01 01': {
    taskClass: '02 01 01',
    function: 'Palvelussuhteen aloittaminen (työsopimukset)',
    publicityClass: 'Osittain salassa pidettävä',
    securityPeriodYears: 50,
    securityReason: 'JulkL (621/1999) 24.1 § 32 kohta',
    securityPeriodStart: 'asiakirjan päiväys',
    retentionPeriod: 50,
    retentionReason: 'Kunnan arkistotoimen ohje palvelussuhdeasiakirjoista',
    retentionStart: 'palvelussuhteen päättyminen',
    personalData: 'contains',
  },
  '00 01 02': {
    taskClass: '00 01 02',
    function: 'Toimielinten kokoukset ja pöytäkirjat',
    publicityClass: 'Julkinen',
    retentionPeriod: 'permanent',
    retentionReason: 'Arkistolaitoksen päätös (KA/13089/07.01.01.03.01/2011)',
    retentionStart: 'asiakirjan päiväys',
    personalData: 'contains',
  },
  '02 05 01': {
    taskClass: '02 05 01',
    function: 'Avustukset yhdistyksille (avustushakemukset ja -päätökset)',
    publicityClass: 'Julkinen',
    retentionPeriod: 10,
    retentionReason: 'Kuntaliiton suositus avustusasiakirjoista (tilintarkastus ja takaisinperintä)',
    retentionStart: 'päätöksen lainvoimaisuus',
    personalData: 'contains',
  },
  '02 05 02': {
    taskClass: '02 05 02',
    function: 'Luottamushenkilöiden ja vaalitoimielinten kulukorvaukset',
    publicityClass: 'Osittain salassa pidettävä',
    securityPeriodYears: 25,
    securityReason: 'JulkL (621/1999) 24.1 § 32 kohta',
    securityPeriodStart: 'asiakirjan päiväys',
    retentionPeriod: 6,
    retentionReason: 'Kirjanpitolaki (1336/1997) 2:10 § (tositteet)',
    retentionStart: 'tilikauden päättyminen',
    personalData: 'contains',
  },
};

export const EMPLOYMENT_CONTRACT_TASK_CLASS = '02 01 01';

export function recordsMetadataFor(taskClass: string): RecordsMetadata {
  const row = RECORDS_PLAN[taskClass];
  if (!row) {
    throw new SinettiError(
      'unknown_task_class',
      `Task class "${taskClass}" is not in the records management plan; use one of ${Object.keys(RECORDS_PLAN).join(', ')}.`,
      400,
      { field: 'taskClass' },
    );
  }
  return row;
}
