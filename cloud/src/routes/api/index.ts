import type { FastifyPluginAsync } from 'fastify';
import { authRoutes } from './auth';
import { userRoutes } from './users';

/** The built-in /api routes of the control plane (accounts, sites, devices, cameras, rules, models, audit…). */
export const apiRoutes: FastifyPluginAsync = async (app) => {
  await app.register(authRoutes);
  await app.register(userRoutes);
};
