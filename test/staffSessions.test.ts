import { StaffSessions } from '../store/staffSessions';
import { type ContractHarness, openContractHarness } from './support/contractHarness';
import { staffHeaders } from './support/staffSession';

/** Server-side staff sessions: idle and absolute timeouts, revocation, a fresh id each time, and the Temporal Web UI's codec calls on the cookie. */

let harness: ContractHarness;
beforeAll(async () => {
  harness = await openContractHarness('staff-sessions');
});
afterAll(async () => {
  await harness?.close();
});

const MINUTE = 60_000;
const person = { name: 'Hanna Henkilöstö', subject: 'hanna.hr', roles: ['hr' as const] };

describe('staff sessions in the store', () => {
  const sessions = new StaffSessions({ idleMs: 30 * MINUTE, absoluteMs: 8 * 60 * MINUTE });

  it('ends after the idle time, and is kept alive by use', async () => {
    const start = new Date('2026-11-30T08:00:00Z');
    const id = await sessions.start(person, start);
    expect((await sessions.find(id, new Date(start.getTime() + 20 * MINUTE)))?.name).toBe('Hanna Henkilöstö');
    expect(await sessions.find(id, new Date(start.getTime() + 45 * MINUTE))).toBeDefined(); // 25 minutes after the last use
    expect(await sessions.find(id, new Date(start.getTime() + 80 * MINUTE))).toBeUndefined(); // 35 minutes idle
  });

  it('ends at the absolute limit however busy, and at revocation for good', async () => {
    const start = new Date('2026-11-30T08:00:00Z');
    const id = await sessions.start(person, start);
    for (let minutes = 20; minutes < 8 * 60; minutes += 20)
      expect(await sessions.find(id, new Date(start.getTime() + minutes * MINUTE))).toBeDefined();
    expect(await sessions.find(id, new Date(start.getTime() + (8 * 60 + 5) * MINUTE))).toBeUndefined();

    const other = await sessions.start(person);
    expect(other).not.toBe(id);
    await sessions.revoke(other);
    expect(await sessions.find(other)).toBeUndefined();
  });
});

describe('the session cookie over HTTP', () => {
  /** A session of its own (a test here signs out), signed in through the development identity provider: the cookie's value. */
  async function signIn(): Promise<string> {
    const { Cookie } = await staffHeaders(harness.baseUrl, 'admin', { fresh: true });
    return Cookie.slice('sinetti_staff='.length);
  }

  it("takes the Temporal Web UI's codec calls from its origin, and refuses another site's", async () => {
    const cookie = await signIn();
    const payloads = {
      payloads: [{ metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from('"x"').toString('base64') }],
    };
    const fromUi = await harness
      .api()
      .post('/codec/encode')
      .set('Cookie', `sinetti_staff=${cookie}`)
      .set('Origin', 'http://127.0.0.1:8333')
      .send(payloads);
    expect(fromUi.status).toBe(200);
    const foreign = await harness
      .api()
      .post('/codec/encode')
      .set('Cookie', `sinetti_staff=${cookie}`)
      .set('Origin', 'https://evil.example')
      .send(payloads);
    expect(foreign.status).toBe(403);
  });

  it('gives a fresh id at each sign-in and signs nobody in with a revoked cookie', async () => {
    const first = await signIn();
    const second = await signIn();
    expect(second).not.toBe(first);
    expect((await harness.api().get('/api/admin/stuck').set('Cookie', `sinetti_staff=${second}`)).status).toBe(200);
    expect((await harness.api().delete('/api/session').set('Cookie', `sinetti_staff=${second}`)).status).toBe(204);
    expect((await harness.api().get('/api/admin/stuck').set('Cookie', `sinetti_staff=${second}`)).status).toBe(401);
  });
});
