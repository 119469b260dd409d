import {
  type ContractHarness,
  contractRequest,
  invitationLink,
  type MailedLink,
  openContractHarness,
  uniqueEmail,
} from '../support/contractHarness';
import { mailTo, waitForMail } from '../support/mailbox';
import { staffHeaders } from '../support/staffSession';

/**
 * One-time codes, as the probe used them: asking for a new code gave five
 * new guesses, and codes could be asked for without end (each a mail or an
 * SMS). Now five wrong codes in all lock the link (and HR is told), and a
 * link gets five codes an hour.
 */

let harness: ContractHarness;
beforeAll(async () => {
  harness = await openContractHarness('one-time-codes');
});
afterAll(async () => {
  await harness?.close();
});

const people = () => ({ employee: uniqueEmail('employee'), employer: uniqueEmail('employer'), hr: uniqueEmail('hr') });
const base = (link: MailedLink) => link.path.split('?')[0];
const codeIn = (text: string) => /\b(\d{6})\b/.exec(text)![1];
const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

async function contractWithCodes(who: ReturnType<typeof people>): Promise<MailedLink> {
  const response = await harness
    .api()
    .post('/api/contracts')
    .set(await staffHeaders(harness.baseUrl, 'hr'))
    .send(contractRequest(who, { verification: 'emailCode', maxReminders: 0 }));
  expect(response.status).toBe(201);
  return invitationLink(who.employee);
}

it('a new code gives no new guesses: the fifth wrong code in all locks the link, even the right code is then refused, and HR is told', async () => {
  const who = people();
  await harness.stack.withWorker(async () => {
    const link = await contractWithCodes(who);
    const browser = harness.api();
    expect(
      (
        await browser
          .post(`${base(link)}/code`)
          .type('form')
          .send({})
      ).status,
    ).toBe(200);
    const [, firstMail] = await waitForMail(who.employee, 2);
    for (let i = 0; i < 4; i++) {
      const guess = await browser
        .post(`${base(link)}/verify`)
        .type('form')
        .send({ code: wrong(codeIn(firstMail.text)) });
      expect(guess.status).toBe(400);
      expect(guess.text).toContain('Koodi ei ole oikein');
    }
    // What reset the count before: a fresh code.
    expect(
      (
        await browser
          .post(`${base(link)}/code`)
          .type('form')
          .send({})
      ).status,
    ).toBe(200);
    const [, , secondMail] = await waitForMail(who.employee, 3);
    const fifth = await browser
      .post(`${base(link)}/verify`)
      .type('form')
      .send({ code: wrong(codeIn(secondMail.text)) });
    expect(fifth.status).toBe(400);
    expect(fifth.text).toContain('Linkki on lukittu');
    const right = await browser
      .post(`${base(link)}/verify`)
      .type('form')
      .send({ code: codeIn(secondMail.text) });
    expect(right.status).toBe(400);
    expect(right.text).toContain('Linkki on lukittu');
    const again = await browser
      .post(`${base(link)}/code`)
      .type('form')
      .send({});
    expect(again.status).toBe(429);
    expect(again.text).toContain('Linkki on lukittu');
    expect(await mailTo(who.employee)).toHaveLength(3); // the invitation and two codes, no third
    const toHr = (await waitForMail(who.hr, 1)).find((mail) => mail.subject.startsWith('Allekirjoituslinkki lukittu'));
    expect(toHr!.text).toContain('Maija Meikäläinen');
  });
});

it('a link gets at most five codes an hour; the sixth request sends nothing and says why', async () => {
  const who = people();
  await harness.stack.withWorker(async () => {
    const link = await contractWithCodes(who);
    const browser = harness.api();
    for (let i = 0; i < 5; i++)
      expect(
        (
          await browser
            .post(`${base(link)}/code`)
            .type('form')
            .send({})
        ).status,
      ).toBe(200);
    const sixth = await browser
      .post(`${base(link)}/code`)
      .type('form')
      .send({});
    expect(sixth.status).toBe(429);
    expect(sixth.text).toContain('viisi koodia');
    await waitForMail(who.employee, 6);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await mailTo(who.employee)).toHaveLength(6); // the invitation and five codes
  });
});
