/**
 * The activation API (DESIGN §14) outside OAuth's own endpoints: the /activate page's calls and
 * the product's activation, each body as the valibot schema the server validates it with, and
 * each answer's type. The OAuth endpoints (`/oauth/device_authorization`, `/oauth/token`) are
 * form-encoded and answer as RFC 8628 and RFC 6749 say.
 */
import * as v from 'valibot';

const userCode = v.pipe(v.string(), v.minLength(1), v.maxLength(40));
const licenseId = v.pipe(v.string(), v.minLength(1), v.maxLength(40));

/** `POST /api/device/approve`: the code the product shows, and which license (needed when the person holds several). */
export const approveDeviceSchema = v.object({ userCode, licenseId: v.optional(licenseId) });
/** `POST /api/device/deny`. */
export const denyDeviceSchema = v.object({ userCode });

/** `POST /api/activations` (Bearer): the machine the product runs on. */
export const activationRequestSchema = v.object({
  machine: v.object({
    /** A stable id of the machine the product makes (a hash of hardware ids, a random id it keeps): 1–200 characters. */
    fingerprint: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
    /** What the person calls it (the host name): shown in My licenses. */
    name: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(200)),
  }),
});
export type ActivationRequest = v.InferInput<typeof activationRequestSchema>;

/** `POST /api/activations` → a compact JWS (shared/ticket.ts). */
export interface ActivationResponse {
  ticket: string;
  /** When the ticket expires (ISO 8601): renew before. */
  expiresAt: string;
}

/** One license the /activate page offers. */
export interface DeviceLicenseOption {
  id: string;
  organization: { id: string; name: string };
  team: { name: string };
  validUntil: string;
  /** Machines it is active on now, and how many it may be. */
  machines: number;
  machinesPerLicense: number;
}

/** `GET /api/device/:userCode` → what the person is asked to approve. */
export interface DeviceRequestInfo {
  userCode: string;
  product: { code: string; name: string };
  machineName: string;
  expiresAt: string;
  status: 'pending' | 'approved' | 'denied';
  licenses: DeviceLicenseOption[];
}

