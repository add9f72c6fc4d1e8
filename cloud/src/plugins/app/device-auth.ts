import type { FastifyRequest } from 'fastify';
import {
  parseBasicAuth,
  verifyDeviceCredentials,
  type AuthenticatedDevice,
} from '../../auth/device-credentials';
import { unauthorized } from '../../errors';

/** HTTP Basic with the device's MQTT username (its id) and password, for uploads and downloads by devices. */
export async function authenticateDevice(request: FastifyRequest): Promise<AuthenticatedDevice> {
  const basic = parseBasicAuth(request.headers.authorization);
  const device = basic
    ? await verifyDeviceCredentials(request.server.deps.database.db, basic.username, basic.password)
    : null;
  if (!device)
    throw unauthorized('device credentials required: Basic auth with the device id and MQTT password');
  return device;
}
