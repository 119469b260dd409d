import { type SinettiConfig } from '../config/config';
import { ApiKeys } from '../store/apiKeys';
import { StaffSessions } from '../store/staffSessions';
import { StaffSessionCookies } from './staffSession';
import { StaffSignIn } from './staffSignIn';

/** What identifies staff: their sessions (cookie and store), sign-in through the identity provider, and machine clients' API keys. */
export interface StaffAccess {
  cookies: StaffSessionCookies;
  signIn: StaffSignIn;
  apiKeys: ApiKeys;
}

export function createStaffAccess(config: SinettiConfig): StaffAccess {
  const { session } = config.identity;
  return {
    cookies: new StaffSessionCookies(new StaffSessions(session), {
      secure: config.publicUrl.startsWith('https:'),
      absoluteMs: session.absoluteMs,
    }),
    signIn: new StaffSignIn(config),
    apiKeys: new ApiKeys(),
  };
}
