import type { FastifyPluginAsync } from 'fastify';

/** The built-in /api routes of the control plane (accounts, sites, devices, cameras, rules, models, audit…). */
export const apiRoutes: FastifyPluginAsync = async (app) => {
  void app;
};
