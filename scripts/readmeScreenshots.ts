import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { connectTemporalClient } from '../common/temporalClient';
import { loadConfig } from '../config/config';
import { organisationSealWorkflow } from '../workflows/organisationSeal';
import { DeadlineAt } from '../workflows/searchAttributes';

/**
 * Takes the README's screenshots of the Temporal Web UI ("Finding stuck
 * processes") with real Chromium against a running `npm start`. It first
 * makes a few processes to look at: contracts awaiting signers, and a seal
 * whose first step keeps failing past its deadline.
 *   npx tsx scripts/readmeScreenshots.ts
 */
const OUT = path.join(__dirname, '..', 'docs', 'screenshots');

async function createContracts(apiUrl: string, count: number): Promise<void> {
  for (let i = 1; i <= count; i++) {
    const response = await fetch(`${apiUrl}/api/contracts`, {
      method: 'POST',
      headers: { Authorization: 'Bearer dev-hr-token', 'Content-Type': 'application/json' },
      body: JSON.stringify({
        title: `Sijaisuus ${i}/2026`,
        terms: {
          employer: { name: 'Esimerkkilän kunta', address: 'Kunnantalontie 1, 00100 Esimerkkilä' },
          employee: { name: `Sijainen ${i}`, address: 'Kotikatu 2, 00100 Esimerkkilä' },
          startDate: '2026-12-01',
          endDate: '2026-12-31',
          fixedTermReason: 'Sijaisuus',
          placeOfWork: 'Koulu',
          duties: 'Opetus',
          payBasis: 'OVTES',
          payPeriod: 'Kuukausi',
          workingHours: '24 h/vko',
          annualLeave: 'Vuosilomalain mukaan',
          noticePeriod: '14 päivää',
          collectiveAgreement: 'OVTES',
        },
        signers: [
          { role: 'employee', name: `Sijainen ${i}`, email: `sijainen${i}@example.fi` },
          { role: 'employer', name: 'Rehtori', email: 'rehtori@example.fi' },
        ],
        hr: { email: 'hr@example.fi' },
      }),
    });
    if (!response.ok) throw new Error(`creating a contract failed: ${response.status} ${await response.text()}`);
  }
}

async function main(): Promise<void> {
  const config = loadConfig();
  const client = await connectTemporalClient(config);
  await createContracts(config.publicUrl, 2);
  await client.workflow.start(organisationSealWorkflow, {
    taskQueue: config.temporal.taskQueue,
    workflowId: `seal-${randomUUID()}`,
    args: [{ versionId: 'missing-version', organization: config.organization, requestedBy: 'staff:registry:demo', title: 'Demo' }],
    typedSearchAttributes: [{ key: DeadlineAt, value: new Date(Date.now() - 2 * 3600_000) }],
  });
  await new Promise((r) => setTimeout(r, 8000));

  const now = new Date().toISOString();
  const views = {
    'past-deadline': `ExecutionStatus = "Running" AND DeadlineAt < "${now}"`,
    'awaiting-employee': `ProcessType = "employmentContract" AND ExecutionStatus = "Running" AND WaitingFor = "employee"`,
    'no-progress': `ExecutionStatus = "Running" AND StepSince < "${new Date(Date.now() - 5000).toISOString()}"`,
  };
  fs.mkdirSync(OUT, { recursive: true });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 700 } });
  for (const [name, query] of Object.entries(views)) {
    await page.goto(
      `http://127.0.0.1:${config.temporal.uiPort}/namespaces/${config.temporal.namespace}/workflows?query=${encodeURIComponent(query)}`,
    );
    await page.waitForSelector('table tbody tr', { timeout: 30_000 });
    await page.waitForTimeout(1500);
    await page.screenshot({ path: path.join(OUT, `${name}.png`) });
    console.log(`${name}.png: ${query}`);
  }
  await browser.close();
  await client.connection.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
