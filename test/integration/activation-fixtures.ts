import { newId } from '../../shared/ids';
import type { WireDoc } from '../../shared/schemas';
import { productId } from '../../server/catalog';
import { CATALOG_ORG } from '../../server/store/docs';
import { requestDeviceCode, pollToken, requestTicket } from '../../server/activation/product-client';
import type { TestServer } from '../helpers/server';
import { pushPath } from '../helpers/sync-api';
import { MY_LICENSES_PATH, myMachineDeactivatePath, orgApiPath } from '../../shared/sync-paths';
import type { MachineInfo, MyLicensesResponse, OrgMachinesResponse } from '../../shared/api';

/**
 * An organization whose person `holder` holds one license of the product `code` (a catalog
 * product: machinesPerLicense as given, else the default 3).
 */
export async function activationFixture(s: TestServer, opts: { code?: string; orgName?: string; holder?: string; machinesPerLicense?: number } = {}) {
  const code = opts.code ?? 'rocket-ide';
  const tag = newId().slice(0, 6);
  const org = await s.createOrg(opts.orgName ?? 'Acme', `admin-${tag}@acme.test`);
  const holderEmail = opts.holder ?? `hal-${tag}@acme.test`;
  const holderCookie = await s.signIn(holderEmail, 'Hal');
  const holderId = await s.accountId(holderEmail);
  const pid = productId(code);
  await s.put(CATALOG_ORG, 'products', [
    { id: pid, code, name: 'Rocket IDE', ...(opts.machinesPerLicense ? { machinesPerLicense: opts.machinesPerLicense } : {}) },
  ]);
  const teamId = newId();
  await s.put(org.orgId, 'teams', [{ id: teamId, orgId: org.orgId, name: 'Launch' }]);
  const [license] = await s.put(org.orgId, 'licenses', [
    {
      id: newId(),
      orgId: org.orgId,
      orderId: newId(),
      teamId,
      productId: pid,
      status: 'assigned',
      assignee: { accountId: holderId, email: holderEmail, name: 'Hal' },
      assignedAt: new Date().toISOString(),
      validUntil: '2099-12-31',
    },
  ]);
  return { org, code, productId: pid, teamId, license, holderEmail, holderCookie, holderId };
}

/** The person approves on /activate (through the page's API) with their session. */
export const approve = (s: TestServer, cookie: string, userCode: string, licenseId?: string) =>
  s.request('/api/device/approve', { cookie, body: { userCode, ...(licenseId ? { licenseId } : {}) } });

/** A whole device flow as a product and its person: code, approval, tokens. */
export async function deviceFlow(s: TestServer, code: string, cookie: string, machineName: string, licenseId?: string) {
  const device = await requestDeviceCode(s.url, code, machineName);
  const approved = await approve(s, cookie, device.user_code, licenseId);
  if (approved.status !== 200) throw new Error(`approve: ${approved.status} ${approved.text}`);
  const token = await pollToken(s.url, code, device.device_code);
  if (!token.ok) throw new Error(`token: ${token.error.error}`);
  return token.token;
}

/** A device flow and an activation on a machine of this fingerprint. */
export async function activateMachine(s: TestServer, code: string, cookie: string, fingerprint: string, name = `host-${fingerprint}`) {
  const token = await deviceFlow(s, code, cookie, name);
  return { token, answer: await requestTicket(s.url, token.access_token, { fingerprint, name }) };
}

/** The admin revokes a license through sync, as the app does. */
export async function revokeLicense(s: TestServer, cookie: string, license: WireDoc<'licenses'>) {
  const { assignee: _a, assignedAt: _b, assignedVia: _c, ...rest } = license;
  return s.request(pushPath(license.orgId, 'licenses'), {
    cookie,
    body: [{ assumedMasterState: license, newDocumentState: { ...rest, status: 'available', _deleted: false } }],
  });
}

/** The holder's machines of one license, as My licenses reads them (`GET /api/me/licenses`). */
export async function myMachines(s: TestServer, cookie: string, licenseId: string): Promise<MachineInfo[]> {
  const r = await s.request(MY_LICENSES_PATH, { method: 'GET', cookie });
  if (r.status !== 200) throw new Error(`my licenses: ${r.status} ${r.text}`);
  return (r.json as MyLicensesResponse).licenses.find((l) => l.license.id === licenseId)?.machines ?? [];
}

/** An admin's machines of the organization (`GET /api/orgs/:orgId/machines`): the status and the machines. */
export async function orgMachines(s: TestServer, cookie: string | undefined, orgId: string): Promise<{ status: number; machines: MachineInfo[] }> {
  const r = await s.request(orgApiPath(orgId, '/machines'), { method: 'GET', cookie });
  return { status: r.status, machines: r.status === 200 ? (r.json as OrgMachinesResponse).machines : [] };
}

/** The holder deactivates a machine from My licenses. */
export const deactivate = (s: TestServer, cookie: string, machineId: string) => s.request(myMachineDeactivatePath(machineId), { cookie, body: {} });
