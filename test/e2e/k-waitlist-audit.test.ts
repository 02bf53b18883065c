/**
 * Scenario k (issue 17; DESIGN §6 Waitlist and Refused attempts, §15 Audit log): an invitee
 * told "No assets left" joins the waitlist and sees their place; the admin revokes a license;
 * the invitee's page shows the license without a reload and the "your license is ready" email
 * arrives over SMTP; the invitation page lists the waitlist and the refused attempts; the Audit
 * log shows the revoke and the hand-out, filters to the license, and exports CSV whose
 * dangerous cells a spreadsheet cannot execute. Screens at 1280 and 390 px fit their width.
 */
import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { PRODUCTS, useWorld, waitInSync } from './harness';

const { world, scenario } = useWorld(import.meta.filename);

/** What is wider than the viewport: the page itself, or a control past its right edge outside a sideways-scrolling region. */
async function overflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const vw = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth > vw + 1) out.push(`page is ${document.documentElement.scrollWidth} px wide in a ${vw} px viewport`);
    for (const el of document.querySelectorAll<HTMLElement>('button, a[href], input, select, h1, h2')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      let scroller: HTMLElement | null = el.parentElement;
      let inScroller = false;
      while (scroller) {
        const s = getComputedStyle(scroller);
        if ((s.overflowX === 'auto' || s.overflowX === 'scroll') && scroller.scrollWidth > scroller.clientWidth) inScroller = true;
        scroller = scroller.parentElement;
      }
      if (!inScroller && r.right > vw + 1) out.push(`${el.tagName.toLowerCase()} “${(el.textContent ?? '').trim().slice(0, 40)}” ends at ${Math.round(r.right)} px`);
    }
    return out.slice(0, 10);
  });
}

/** A phone's width; waits until the side menu has slid away (it sits behind its button there). */
async function phone(page: Page) {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForFunction(() => (document.getElementById('side-menu')?.getBoundingClientRect().right ?? 0) <= 0);
}

scenario('k. "No assets left", join the waitlist, a revoke hands the license over; the invitation lists the waitlist and refusals; the audit log filters and exports safely', async () => {
  const w = world();
  const admin = await w.newContext();
  const { orgId, memberId } = await w.setupOrg(admin, { orgName: 'Fabrikam', email: 'ada@fabrikam.test', name: 'Ada Admin' });
  const { teamId } = await w.recordOrder(admin, {
    orgId,
    reference: 'PO-K',
    teamName: 'Design',
    productId: PRODUCTS.review.id,
    quantity: 1,
    licensee: { name: 'Grace Hopper', email: 'grace@fabrikam.test' },
  });
  const invitation = await w.createInvitation(admin, { orgId, teamId, productId: PRODUCTS.review.id, memberId, name: 'Design seats' });

  // Lin takes the one seat.
  const linCtx = await w.newContext();
  await w.signIn(linCtx, 'lin@fabrikam.test');
  const linClaim = await w.api(linCtx, 'POST', `/api/invitations/${invitation.token}/claim`, {});
  expect(linClaim.status).toBe(200);
  const licenseId = linClaim.json.id as string;

  // An address a spreadsheet would read as a formula tries too, and is refused.
  const evilCtx = await w.newContext();
  await w.signIn(evilCtx, '=1+2@evil.test');
  expect((await w.api(evilCtx, 'POST', `/api/invitations/${invitation.token}/claim`, {})).json.error).toBe('no-assets-left');

  // Kim reads "No assets left", joins the waitlist and sees her place.
  const kimCtx = await w.newContext();
  await w.signIn(kimCtx, 'kim@fabrikam.test');
  const kim = await w.newPage(kimCtx);
  await kim.goto(invitation.link);
  await kim.getByText('Signed in as kim@fabrikam.test').waitFor();
  await kim.getByRole('button', { name: 'Claim license' }).click();
  await kim.getByRole('alert').filter({ hasText: 'No assets left' }).waitFor();
  await kim.getByRole('button', { name: 'Join the waitlist' }).click();
  const place = kim.getByRole('status').filter({ hasText: 'You are on the waitlist' });
  await place.waitFor();
  expect(await place.textContent()).toContain('Number 1 in line');
  await w.shot(kim, 'waiting');
  // The evil address joins after her: second in line.
  const evilJoin = await w.api(evilCtx, 'POST', `/api/invitations/${invitation.token}/waitlist`, {});
  expect(evilJoin.status).toBe(202);
  expect(evilJoin.json).toMatchObject({ status: 'waiting', position: 2 });

  // My licenses shows Kim's place too (in a second tab).
  const kimMine = await w.newPage(kimCtx);
  await kimMine.goto(`${w.url}/my-licenses`);
  const waitingList = kimMine.getByRole('list', { name: 'Waitlists I am on' });
  await waitingList.getByText(PRODUCTS.review.name).waitFor();
  expect(await waitingList.textContent()).toContain('Number 1 in line');

  // The invitation page lists the waitlist in order and the refused attempts, at 1280 and 390 px.
  const page = await w.newPage(admin);
  await page.goto(w.at(orgId, `/invitations/${invitation.id}`));
  await waitInSync(page);
  const waitlist = page.getByRole('table', { name: 'Waitlist' });
  await waitlist.getByText('kim@fabrikam.test').waitFor({ timeout: 20_000 });
  await waitlist.getByText('=1+2@evil.test').waitFor();
  const waitRows = await waitlist.getByRole('row').allTextContents();
  expect(waitRows.findIndex((r) => r.includes('kim@fabrikam.test'))).toBeLessThan(waitRows.findIndex((r) => r.includes('=1+2@evil.test')));
  const refused = page.getByRole('table', { name: 'Refused attempts' });
  await refused.getByRole('row').filter({ hasText: 'kim@fabrikam.test' }).filter({ hasText: 'No assets left' }).waitFor();
  await refused.getByRole('row').filter({ hasText: '=1+2@evil.test' }).waitFor();
  await w.shot(page, 'invitation-1280');
  expect(await overflow(page)).toEqual([]);
  await phone(page);
  await waitlist.getByText('kim@fabrikam.test').waitFor();
  await w.shot(page, 'invitation-390');
  expect(await overflow(page)).toEqual([]);
  await page.setViewportSize({ width: 1280, height: 860 });

  // The admin revokes Lin's license from the team's page.
  await page.goto(w.at(orgId, `/teams/${teamId}`));
  const licenses = page.getByRole('table', { name: 'Licenses of Design' });
  await licenses.getByText('lin@fabrikam.test').waitFor();
  const since = w.smtp.messages.length;
  await licenses.getByRole('button', { name: `Revoke ${PRODUCTS.review.name} license of lin` }).click();
  await page.getByRole('alertdialog', { name: 'Revoke this license?' }).getByRole('button', { name: 'Revoke license' }).click();
  await waitInSync(page);

  // Kim's page shows the license without a reload; the email says it is ready; My licenses lists it.
  await kim.getByRole('heading', { name: 'The license is yours' }).waitFor({ timeout: 30_000 });
  await place.waitFor({ state: 'detached' });
  await w.shot(kim, 'handed-out');
  const ready = await w.mailTo('kim@fabrikam.test', /license is ready/, since);
  expect(ready.subject).toBe(`Your ${PRODUCTS.review.name} license is ready`);
  await kimMine.getByRole('list', { name: 'My licenses' }).getByText(PRODUCTS.review.name).waitFor({ timeout: 20_000 });
  await waitingList.waitFor({ state: 'detached' });
  // Exactly one license, Kim's; the evil address moved up to first.
  const all = (await w.pull(admin, orgId, 'licenses')).filter((l) => l.teamId === teamId);
  expect(all.map((l) => [l.id, l.status, l.assignee?.email])).toEqual([[licenseId, 'assigned', 'kim@fabrikam.test']]);
  expect((await w.api(evilCtx, 'GET', `/api/invitations/${invitation.token}/waitlist`)).json).toMatchObject({ status: 'waiting', position: 1 });

  // The admin removes the evil address from the waitlist.
  await page.goto(w.at(orgId, `/invitations/${invitation.id}`));
  await waitlist.getByText('=1+2@evil.test').waitFor({ timeout: 20_000 });
  await waitlist.getByRole('button', { name: 'Remove =1+2@evil.test from the waitlist' }).click();
  await waitlist.getByText('Nobody is waiting.').waitFor({ timeout: 20_000 });
  expect((await w.api(evilCtx, 'GET', `/api/invitations/${invitation.token}/waitlist`)).json.error).toBe('not-on-waitlist');

  // The Audit log: every event, then only those of the license: the revoke and the hand-out.
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Audit log', exact: true }).click();
  await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
  const events = page.getByRole('table', { name: 'Audit events' });
  await events.getByText('Revoked the license of lin@fabrikam.test').waitFor({ timeout: 20_000 });
  await events.getByText(/Handed to kim@fabrikam\.test from the waitlist/).waitFor();
  await events.getByText('Claim refused: No assets left').first().waitFor();
  await events.getByText(/Removed =1\+2@evil\.test from a waitlist/).waitFor();
  await page.getByLabel('Document').fill(licenseId);
  await expect.poll(async () => (await events.getByRole('row').allTextContents()).slice(1).map((r) => /Revoked|Handed out|Claimed/.exec(r)?.[0] ?? r)).toEqual([
    'Handed out',
    'Revoked',
    'Claimed',
  ]);
  expect(page.url()).toContain(`doc=${licenseId}`);
  await w.shot(page, 'audit-license-1280');
  expect(await overflow(page)).toEqual([]);
  await phone(page);
  await events.getByText(/Handed to kim@fabrikam\.test/).waitFor();
  await w.shot(page, 'audit-license-390');
  expect(await overflow(page)).toEqual([]);
  await page.setViewportSize({ width: 1280, height: 860 });

  // Filters by person: the evil address's own acts only.
  await page.getByLabel('Document').fill('');
  await page.getByLabel('Person').selectOption('=1+2@evil.test');
  await expect.poll(async () => (await events.getByRole('row').allTextContents()).length).toBe(3);
  const evilRows = (await events.getByRole('row').allTextContents()).slice(1).join('\n');
  expect(evilRows).toContain('Claim refused');
  expect(evilRows).toContain('Joined waitlist');
  await page.getByLabel('Person').selectOption('');
  await w.shot(page, 'audit-all-1280');

  // The CSV of every event: each cell a spreadsheet would execute starts with ' (text).
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
  const csv = readFileSync((await download.path())!, 'utf8');
  const rows = Papa.parse<string[]>(csv.trim()).data;
  expect(rows[0]).toEqual(['time', 'kind', 'person', 'name', 'collection', 'document', 'summary', 'changes', 'client address', 'user agent']);
  const evilCells = rows.slice(1).filter((r) => r[2].includes('1+2@evil.test'));
  expect(evilCells.length).toBeGreaterThanOrEqual(2);
  for (const r of evilCells) expect(r[2]).toBe("'=1+2@evil.test");
  for (const r of rows.slice(1)) for (const cell of r) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  expect(rows.slice(1).some((r) => r[1] === 'revoke' && r[5] === licenseId)).toBe(true);
  expect(rows.slice(1).some((r) => r[1] === 'waitlist-handout' && r[5] === licenseId)).toBe(true);

  // The page at 390 px with every event.
  await phone(page);
  await w.shot(page, 'audit-all-390');
  expect(await overflow(page)).toEqual([]);

  for (const c of [linCtx, evilCtx, kimCtx, admin]) await c.close();
});
