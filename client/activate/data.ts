/**
 * The /activate page's data (DESIGN §14): the request behind a code a product shows, and the
 * person's approval or denial. All of it is the server's (any organization's licenses).
 */
import type { DeviceRequestInfo } from '../../shared/activation-api';
import { formatUserCode, normalizeUserCode } from '../../shared/user-code';
import { api, type ApiResult } from '../api';

export type { DeviceRequestInfo };
export { signedInAccount } from '../join/data';

/** The code as the product shows it (XXXX-XXXX), or null when it cannot be one. */
export function userCodeOf(typed: string): string | null {
  const c = normalizeUserCode(typed);
  return c ? formatUserCode(c) : null;
}

export const deviceRequest = (userCode: string): Promise<ApiResult<DeviceRequestInfo>> => api.deviceRequest(userCode);
export const approveDevice = (userCode: string, licenseId?: string) => api.approveDevice({ userCode, ...(licenseId ? { licenseId } : {}) });
export const denyDevice = (userCode: string) => api.denyDevice(userCode);
