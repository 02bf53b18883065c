import { expect } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { PRODUCTS, useWorld, waitInSync } from './harness';

const { world, scenario } = useWorld(import.meta.filename);

scenario('d. every seat taken: the next invitee reads "No assets left"; the admin revokes one and a new invitee succeeds', async () => {
  const w = world();
  const admin = await w.newContext();
  const { orgId, memberId } = await w.setupOrg(admin, { orgName: 'Tailspin', email: 'ada@tailspin.test', name: 'Ada Admin' });
  const { teamId } = await w.recordOrder(admin, {
    orgId,
    reference: 'PO-2',
    teamName: 'Design',
    productId: PRODUCTS.review.id,
    quantity: 2,
    licensee: { name: 'Grace Hopper', email: 'grace@tailspin.test' },
  });
  const invitation = await w.createInvitation(admin, { orgId, teamId, productId: PRODUCTS.review.id, memberId, name: 'Design seats' });

  const page = await w.newPage(admin);
  await page.goto(w.at(orgId, `/invitations/${invitation.id}`));
  await waitInSync(page);
  const seatsLeft = page.getByRole('region', { name: 'Invitation link' }).getByRole('definition').first();
  await expect.poll(() => seatsLeft.textContent(), { timeout: 20_000 }).toBe('2');

  const invitees: { ctx: BrowserContext; page: Page }[] = [];
  /** A person signed in in their own browser, on the invitation page. */
  const openAs = async (email: string) => {
    const ctx = await w.newContext();
    await w.signIn(ctx, email);
    const p = await w.newPage(ctx);
    await p.goto(invitation.link);
    await p.getByText(`Signed in as ${email}`).waitFor();
    invitees.push({ ctx, page: p });
    return p;
  };

  // Two people take the two seats.
  for (const email of ['lin@tailspin.test', 'sam@tailspin.test']) {
    const p = await openAs(email);
    await p.getByRole('button', { name: 'Claim license' }).click();
    await p.getByRole('heading', { name: 'The license is yours' }).waitFor();
  }
  await page.getByRole('table', { name: 'Accepted invitations' }).getByText('sam@tailspin.test').waitFor({ timeout: 20_000 });
  await expect.poll(() => seatsLeft.textContent(), { timeout: 20_000 }).toBe('0');

  // The third is told plainly.
  const third = await openAs('kim@tailspin.test');
  await third.getByRole('button', { name: 'Claim license' }).click();
  const refusal = third.getByRole('alert').filter({ hasText: 'No assets left' });
  await refusal.waitFor();
  await w.shot(third, 'no-assets-left');

  // The admin frees a seat: revoke Lin's license from the team's licenses.
  await page.goto(w.at(orgId, `/teams/${teamId}`));
  const licenses = page.getByRole('table', { name: 'Licenses of Design' });
  await licenses.getByText('lin@tailspin.test').waitFor();
  const revokedSince = w.smtp.messages.length;
  await licenses.getByRole('button', { name: `Revoke ${PRODUCTS.review.name} license of lin` }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Revoke this license?' });
  await confirm.getByRole('button', { name: 'Revoke license' }).click();
  await page.getByText('2 licenses, 1 available').waitFor();
  await waitInSync(page);
  await licenses.getByText('lin@tailspin.test').waitFor({ state: 'detached' });
  // The former holder is told by email.
  await w.mailTo('lin@tailspin.test', /license was revoked/, revokedSince);

  // The same third person tries again and succeeds.
  await third.getByRole('button', { name: 'Claim license' }).click();
  await third.getByRole('heading', { name: 'The license is yours' }).waitFor();
  await refusal.waitFor({ state: 'detached' });
  await w.shot(third, 'claimed-after-revoke');

  // Lin cannot take a seat back through the same invitation.
  const lin = invitees[0].page;
  await lin.reload();
  await lin.getByRole('button', { name: 'Claim license' }).click();
  await lin.getByRole('alert').filter({ hasText: 'was revoked, so you cannot claim it again' }).waitFor();
  // She holds nothing any more, in any organization (and so has no reach in this one).
  const linLicenses = await w.api(invitees[0].ctx, 'GET', '/api/me/licenses');
  expect(linLicenses.json.licenses).toEqual([]);

  // The server: two seats, both held, by Sam and Kim.
  const all = (await w.pull(admin, orgId, 'licenses')).filter((l) => l.teamId === teamId);
  expect(all.map((l) => l.status).sort()).toEqual(['assigned', 'assigned']);
  expect(all.map((l) => l.assignee!.email).sort()).toEqual(['kim@tailspin.test', 'sam@tailspin.test']);
  await page.goto(w.at(orgId, `/invitations/${invitation.id}`));
  await page.getByRole('table', { name: 'Accepted invitations' }).getByText('kim@tailspin.test').waitFor();
  await w.shot(page, 'end');
  for (const i of invitees) await i.ctx.close();
  await admin.close();
});
