import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { CreateRuleBody, ReplaceRulesBody, Rule, UpdateRuleBody } from '@tally/proto';
import { pushDeviceConfig } from '../../config-push/push-config';
import { getCamera } from '../../db/queries/cameras';
import {
  deleteRule,
  getRule,
  insertRule,
  listCameraRules,
  replaceCameraRules,
  updateRule,
  type RuleRow,
} from '../../db/queries/rules';
import { AppError, notFound } from '../../errors';
import { audit } from '../../plugins/app/audit';
import { requireOnSite } from './access';
import { bearer, CameraParams, errors, RuleParams } from './schemas';

export function toRuleDto(r: RuleRow): Rule {
  return {
    id: r.id,
    cameraId: r.cameraId,
    key: r.ruleKey,
    kind: r.kind as Rule['kind'],
    name: r.name,
    definition: r.definition as Rule['definition'],
    updatedAt: r.updatedAt.toISOString(),
  };
}

const ConfigIssued = Type.Object({ version: Type.Integer(), hash: Type.String() });
const RuleWithConfig = Type.Object({ rule: Rule, config: ConfigIssued });

/** Counting rules (lines and zones) of a camera; each change issues the device a new config version. */
export const ruleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { database, publish, config } = app.deps;
  const db = database.db;
  const push = { db, publish, config };
  app.addHook('onRequest', app.authenticate);
  const tags = ['rules'];

  const loadCamera = async (orgId: string, cameraId: string) => {
    const camera = await getCamera(db, orgId, cameraId);
    if (!camera) throw notFound('camera');
    return camera;
  };
  const loadRule = async (orgId: string, ruleId: string) => {
    const rule = await getRule(db, orgId, ruleId);
    if (!rule) throw notFound('rule');
    return { rule, camera: await loadCamera(orgId, rule.cameraId) };
  };

  app.get(
    '/cameras/:cameraId/rules',
    {
      schema: {
        tags,
        security: bearer,
        params: CameraParams,
        response: { 200: Type.Array(Rule), ...errors },
      },
    },
    async (request) => {
      const camera = await loadCamera(request.auth.orgId, request.params.cameraId);
      requireOnSite(request.auth, camera.siteId, 'camera');
      return (await listCameraRules(db, request.auth.orgId, [camera.id])).map(toRuleDto);
    },
  );

  app.post(
    '/cameras/:cameraId/rules',
    {
      schema: {
        tags,
        security: bearer,
        params: CameraParams,
        body: CreateRuleBody,
        response: { 201: RuleWithConfig, ...errors },
      },
    },
    async (request, reply) => {
      const { auth } = request;
      const camera = await loadCamera(auth.orgId, request.params.cameraId);
      requireOnSite(auth, camera.siteId, 'camera', 'camera.setup');
      const body = request.body;
      const existing = await listCameraRules(db, auth.orgId, [camera.id]);
      if (existing.some((r) => r.ruleKey === body.key)) {
        throw new AppError('TALLY_CONFLICT', `rule ${body.key} already exists on this camera`);
      }
      const { result: rule, config: cfg } = await pushDeviceConfig(
        push,
        { orgId: auth.orgId, deviceId: camera.deviceId, userId: auth.userId },
        (tx) =>
          insertRule(tx, {
            orgId: auth.orgId,
            siteId: camera.siteId,
            cameraId: camera.id,
            ruleKey: body.key,
            kind: body.kind,
            name: body.name,
            definition: body.definition as Record<string, unknown>,
          }),
        (tx, rule, cfg) =>
          audit(
            request,
            {
              action: 'rule.create',
              targetType: 'rule',
              targetId: rule.id,
              details: { cameraId: camera.id, key: rule.ruleKey, configVersion: cfg.version },
            },
            tx,
          ),
      );
      return reply
        .status(201)
        .send({ rule: toRuleDto(rule), config: { version: cfg.version, hash: cfg.hash } });
    },
  );

  app.put(
    '/cameras/:cameraId/rules',
    {
      schema: {
        tags,
        summary: "Replace a camera's rules",
        description:
          "Saves the camera's whole set of lines and zones as one new config version (what the dashboard's editor " +
          'saves): known keys are updated and keep their counts, new keys are added, the others deleted. 400 with ' +
          'the issues, nothing changed, when the device would reject the result.',
        security: bearer,
        params: CameraParams,
        body: ReplaceRulesBody,
        response: { 200: Type.Object({ rules: Type.Array(Rule), config: ConfigIssued }), ...errors },
      },
    },
    async (request) => {
      const { auth } = request;
      const camera = await loadCamera(auth.orgId, request.params.cameraId);
      requireOnSite(auth, camera.siteId, 'camera', 'camera.setup');
      const keys = request.body.rules.map((r) => r.key);
      const twice = keys.find((k, i) => keys.indexOf(k) !== i);
      if (twice)
        throw new AppError(
          'TALLY_BAD_REQUEST',
          `rule key ${twice} is used twice: give each rule its own key`,
        );
      const { result: saved, config: cfg } = await pushDeviceConfig(
        push,
        { orgId: auth.orgId, deviceId: camera.deviceId, userId: auth.userId },
        (tx) =>
          replaceCameraRules(
            tx,
            camera,
            request.body.rules.map((r) => ({ ...r, definition: r.definition as Record<string, unknown> })),
          ),
        (tx, saved, cfg) =>
          audit(
            request,
            {
              action: 'rule.replace',
              targetType: 'camera',
              targetId: camera.id,
              details: { keys: saved.map((r) => r.ruleKey), configVersion: cfg.version },
            },
            tx,
          ),
      );
      return { rules: saved.map(toRuleDto), config: { version: cfg.version, hash: cfg.hash } };
    },
  );

  app.get(
    '/rules/:ruleId',
    { schema: { tags, security: bearer, params: RuleParams, response: { 200: Rule, ...errors } } },
    async (request) => {
      const { rule, camera } = await loadRule(request.auth.orgId, request.params.ruleId);
      requireOnSite(request.auth, camera.siteId, 'rule');
      return toRuleDto(rule);
    },
  );

  app.patch(
    '/rules/:ruleId',
    {
      schema: {
        tags,
        security: bearer,
        params: RuleParams,
        body: UpdateRuleBody,
        response: { 200: RuleWithConfig, ...errors },
      },
    },
    async (request) => {
      const { auth } = request;
      const { rule, camera } = await loadRule(auth.orgId, request.params.ruleId);
      requireOnSite(auth, camera.siteId, 'rule', 'camera.setup');
      const body = request.body;
      const { result: updated, config: cfg } = await pushDeviceConfig(
        push,
        { orgId: auth.orgId, deviceId: camera.deviceId, userId: auth.userId },
        async (tx) => {
          const updated = await updateRule(tx, auth.orgId, rule.id, {
            ...(body.name !== undefined ? { name: body.name } : {}),
            ...(body.definition !== undefined
              ? { definition: body.definition as Record<string, unknown> }
              : {}),
          });
          if (!updated) throw notFound('rule');
          return updated;
        },
        (tx, _updated, cfg) =>
          audit(
            request,
            {
              action: 'rule.update',
              targetType: 'rule',
              targetId: rule.id,
              details: { cameraId: camera.id, configVersion: cfg.version },
            },
            tx,
          ),
      );
      return { rule: toRuleDto(updated), config: { version: cfg.version, hash: cfg.hash } };
    },
  );

  app.delete(
    '/rules/:ruleId',
    {
      schema: {
        tags,
        security: bearer,
        params: RuleParams,
        response: { 200: Type.Object({ config: ConfigIssued }), ...errors },
      },
    },
    async (request) => {
      const { auth } = request;
      const { rule, camera } = await loadRule(auth.orgId, request.params.ruleId);
      requireOnSite(auth, camera.siteId, 'rule', 'camera.setup');
      const { config: cfg } = await pushDeviceConfig(
        push,
        { orgId: auth.orgId, deviceId: camera.deviceId, userId: auth.userId },
        (tx) => deleteRule(tx, auth.orgId, rule.id),
        (tx, _deleted, cfg) =>
          audit(
            request,
            {
              action: 'rule.delete',
              targetType: 'rule',
              targetId: rule.id,
              details: { cameraId: camera.id, key: rule.ruleKey, configVersion: cfg.version },
            },
            tx,
          ),
      );
      return { config: { version: cfg.version, hash: cfg.hash } };
    },
  );
};
