import type { FastifyPluginAsync } from 'fastify';
import { auditRoutes } from './audit';
import { authRoutes } from './auth';
import { cameraRoutes } from './cameras';
import { claimCodeRoutes } from './claim-codes';
import { commandRoutes } from './commands';
import { configRestoreRoutes } from './config-restore';
import { deviceRoutes } from './devices';
import { ingestQuarantineRoutes } from './ingest-quarantine';
import { invitationRoutes } from './invitations';
import { provisionRoutes } from './provision';
import { modelRoutes } from './models';
import { overviewRoutes } from './overview';
import { ruleRoutes } from './rules';
import { snapshotRoutes } from './snapshots';
import { setupRoutes } from './setup';
import { siteRoutes } from './sites';
import { userRoutes } from './users';

/** The built-in /api routes of the control plane (accounts, sites, devices, cameras, rules, models, audit…). */
export const apiRoutes: FastifyPluginAsync = async (app) => {
  await app.register(authRoutes);
  await app.register(userRoutes);
  await app.register(invitationRoutes);
  await app.register(siteRoutes);
  await app.register(deviceRoutes);
  await app.register(cameraRoutes);
  await app.register(ruleRoutes);
  await app.register(claimCodeRoutes);
  await app.register(provisionRoutes);
  await app.register(auditRoutes);
  await app.register(ingestQuarantineRoutes);
  await app.register(modelRoutes);
  await app.register(snapshotRoutes);
  await app.register(commandRoutes);
  await app.register(configRestoreRoutes);
  await app.register(setupRoutes);
  await app.register(overviewRoutes);
};
