import { type StaffRole } from '../../config/config';

/**
 * The embedded identity provider's people: one per staff role and one who
 * holds several, one limited to one HR unit, so a new user of `npm start` can sign in at once. Their
 * roles travel in the ID token's `roles` claim, as Entra ID's app roles do.
 * Listed with their passwords in the README; never used in production.
 */
export interface DevelopmentUser {
  username: string;
  password: string;
  name: string;
  email: string;
  /** The `roles` claim's values: role names (every unit), or `sinetti-<role>-<unit>` for one unit (config/identity.ts). */
  roles: (StaffRole | `sinetti-${StaffRole}-${string}`)[];
}

export const DEVELOPMENT_USERS: DevelopmentUser[] = [
  { username: 'hanna.hr', password: 'hr-salasana', name: 'Hanna Henkilöstö', email: 'hanna.hr@example.test', roles: ['hr'] },
  {
    username: 'sanna.sihteeri',
    password: 'sihteeri-salasana',
    name: 'Sanna Sihteeri',
    email: 'sanna.sihteeri@example.test',
    roles: ['secretary'],
  },
  {
    username: 'kalle.kasittelija',
    password: 'kasittelija-salasana',
    name: 'Kalle Käsittelijä',
    email: 'kalle.kasittelija@example.test',
    roles: ['handler'],
  },
  {
    username: 'kirsi.kirjaamo',
    password: 'kirjaamo-salasana',
    name: 'Kirsi Kirjaamo',
    email: 'kirsi.kirjaamo@example.test',
    roles: ['registry'],
  },
  { username: 'aki.admin', password: 'admin-salasana', name: 'Aki Ylläpitäjä', email: 'aki.admin@example.test', roles: ['admin'] },
  {
    username: 'monika.moni',
    password: 'moni-salasana',
    name: 'Monika Monirooli',
    email: 'monika.moni@example.test',
    roles: ['hr', 'secretary', 'registry'],
  },
  {
    username: 'siiri.sivistys',
    password: 'sivistys-salasana',
    name: 'Siiri Sivistystoimi',
    email: 'siiri.sivistys@example.test',
    roles: ['sinetti-hr-sivistys'],
  },
];

export const DEVELOPMENT_CLIENT = { clientId: 'sinetti', clientSecret: 'sinetti-development-client-secret' };
