import { expect } from 'vitest';
import { newId } from '../../shared/ids';
import { useWorld, waitInSync } from './harness';

const { world, scenario } = useWorld(import.meta.filename);

scenario('m. two tabs of one browser: an edit made in the tab that does not sync reaches the server, and both tabs then say no changes are waiting', async () => {
  const w = world();
  const ada = await w.newContext();
  const { orgId } = await w.setupOrg(ada, { orgName: 'Tailspin', email: 'ada@tailspin.test', name: 'Ada Admin' });
  const ids = [newId(), newId()];
  await w.push(
    ada,
    'contacts',
    ids.map((id, i) => ({ id, orgId, name: `Contact ${i}`, email: `c${i}@tailspin.test`, roles: ['securityPrivacy'], orderIds: [], disabled: false, source: 'manual' })),
  );
  // The first tab opened syncs for the browser (RxDB's leader); the second works on the same local database.
  const first = await w.newPage(ada);
  await first.goto(w.at(orgId, '/contacts'));
  await waitInSync(first);
  const second = await w.newPage(ada);
  await second.goto(w.at(orgId, '/contacts'));
  const table = second.getByRole('table', { name: 'Contacts' });
  await table.getByText('Contact 1').waitFor();

  for (const [i, name] of ['Renamed in the second tab', 'Renamed again in the second tab'].entries()) {
    await table.getByRole('button', { name: `Edit Contact ${i}` }).click();
    const dialog = second.getByRole('dialog', { name: `Edit Contact ${i}` });
    await dialog.getByLabel('Name').fill(name);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await table.getByText(name).waitFor();
  }
  // The first tab pushed both; neither tab counts them as waiting any more.
  await expect
    .poll(async () => (await w.pull(ada, orgId, 'contacts')).filter((d) => ids.includes(d.id)).map((d) => d.name).sort())
    .toEqual(['Renamed again in the second tab', 'Renamed in the second tab']);
  for (const page of [first, second]) {
    await page.getByRole('status', { name: 'Sync status' }).getByText('No changes waiting').waitFor({ timeout: 15_000 });
  }
  await w.shot(second, 'second-tab-synced');
});
