import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { CreateModelBody, Model, type ModelLayout } from '@tally/proto';
import { verifyModelSignature } from '../../auth/signed-url';
import {
  deleteModel,
  getModel,
  insertModel,
  listModels,
  setModelFile,
  type ModelRow,
} from '../../db/queries/models';
import { AppError, notFound } from '../../errors';
import { audit, inTransaction } from '../../plugins/app/audit';
import { authenticateDevice } from '../../plugins/app/device-auth';
import { requireOrgAction } from './access';
import { bearer, errors, ModelParams } from './schemas';

function toModelDto(m: ModelRow): Model {
  return {
    id: m.id,
    key: m.modelKey,
    name: m.name,
    version: m.version,
    layout: m.layout as ModelLayout,
    sha256: m.sha256,
    sizeBytes: m.sizeBytes,
    classNames: m.classNames,
    createdAt: m.createdAt.toISOString(),
  };
}

/**
 * The detector model catalogue: metadata, then the file (streamed to DATA_DIR/models with its sha256 computed on
 * the way). Devices download with a signed URL (what their config carries) or Basic device auth; users with a
 * bearer token. Assigning a model to a camera (PATCH /api/cameras/:id {modelId}) sends the device a config naming it.
 */
export const modelRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { database, config } = app.deps;
  const db = database.db;
  const tags = ['models'];
  const dir = join(config.dataDir, 'models');

  // Model files are large: stream them instead of buffering (the JSON body limit does not apply here).
  app.addContentTypeParser('application/octet-stream', (_request, payload, done) => done(null, payload));

  app.get(
    '/models',
    {
      onRequest: app.authenticate,
      schema: { tags, security: bearer, response: { 200: Type.Array(Model), ...errors } },
    },
    async (request) => (await listModels(db, request.auth.orgId)).map(toModelDto),
  );

  app.post(
    '/models',
    {
      onRequest: app.authenticate,
      schema: { tags, security: bearer, body: CreateModelBody, response: { 201: Model, ...errors } },
    },
    async (request, reply) => {
      requireOrgAction(request.auth, 'model.manage');
      const body = request.body;
      if ((await listModels(db, request.auth.orgId)).some((m) => m.modelKey === body.key)) {
        throw new AppError(
          'TALLY_CONFLICT',
          `model ${body.key} already exists: use another key for a new version`,
        );
      }
      const model = await inTransaction(request, async (tx) => {
        const model = await insertModel(tx, {
          orgId: request.auth.orgId,
          modelKey: body.key,
          name: body.name,
          version: body.version,
          layout: body.layout,
          classNames: body.classNames ?? null,
        });
        await audit(
          request,
          { action: 'model.create', targetType: 'model', targetId: model.id, details: body },
          tx,
        );
        return model;
      });
      return reply.status(201).send(toModelDto(model));
    },
  );

  app.put(
    '/models/:modelId/file',
    {
      onRequest: app.authenticate,
      schema: {
        tags,
        security: bearer,
        params: ModelParams,
        consumes: ['application/octet-stream'],
        response: { 200: Model, ...errors, 413: errors[400] },
      },
    },
    async (request) => {
      requireOrgAction(request.auth, 'model.manage');
      const model = await getModel(db, request.auth.orgId, request.params.modelId);
      if (!model) throw notFound('model');
      if (model.sha256)
        throw new AppError('TALLY_CONFLICT', 'this model already has its file: create a new model');
      await mkdir(dir, { recursive: true });
      const relative = `${model.id}.onnx`;
      const temp = join(dir, `.${randomUUID()}.part`);
      const hash = createHash('sha256');
      let size = 0;
      const limit = config.uploadLimit;
      const meter = new Transform({
        transform(chunk: Buffer, _enc, cb) {
          size += chunk.length;
          if (size > limit)
            return cb(new AppError('TALLY_PAYLOAD_TOO_LARGE', `model files are limited to ${limit} bytes`));
          hash.update(chunk);
          cb(null, chunk);
        },
      });
      try {
        await pipeline(request.body as NodeJS.ReadableStream, meter, createWriteStream(temp));
      } catch (err) {
        await rm(temp, { force: true });
        throw err;
      }
      if (size === 0) {
        await rm(temp, { force: true });
        throw new AppError(
          'TALLY_BAD_REQUEST',
          'empty body: send the model file as application/octet-stream',
        );
      }
      await rename(temp, join(dir, relative));
      const sha256 = hash.digest('hex');
      const updated = await inTransaction(request, async (tx) => {
        const updated = await setModelFile(tx, request.auth.orgId, model.id, {
          filePath: join('models', relative),
          sha256,
          sizeBytes: size,
        });
        if (!updated) throw notFound('model');
        const details = { sha256, sizeBytes: size };
        await audit(
          request,
          { action: 'model.upload', targetType: 'model', targetId: model.id, details },
          tx,
        );
        return updated;
      });
      return toModelDto(updated);
    },
  );

  app.get(
    '/models/:modelId/file',
    {
      schema: {
        tags,
        security: [{ device: [] }, { bearer: [] }],
        params: ModelParams,
        querystring: Type.Object(
          { sig: Type.Optional(Type.String({ maxLength: 100 })) },
          { additionalProperties: false },
        ),
        response: { ...errors },
      },
    },
    async (request, reply) => {
      const model = await findDownloadable(request);
      const path = join(config.dataDir, model.filePath!);
      const { size } = await stat(path);
      return reply
        .type('application/octet-stream')
        .header('content-length', size)
        .header('x-content-sha256', model.sha256!)
        .send(createReadStream(path) as never);
    },
  );

  app.delete(
    '/models/:modelId',
    {
      onRequest: app.authenticate,
      schema: { tags, security: bearer, params: ModelParams, response: { 204: Type.Null(), ...errors } },
    },
    async (request, reply) => {
      requireOrgAction(request.auth, 'model.manage');
      const model = await getModel(db, request.auth.orgId, request.params.modelId);
      if (!model) throw notFound('model');
      await inTransaction(request, async (tx) => {
        await deleteModel(tx, request.auth.orgId, model.id);
        await audit(request, { action: 'model.delete', targetType: 'model', targetId: model.id }, tx);
      });
      // The file goes once the row is gone for good.
      if (model.filePath) await rm(join(config.dataDir, model.filePath), { force: true });
      return reply.status(204).send(null);
    },
  );

  /** A signed URL, a device of the model's organisation (Basic), or a signed-in user of it. */
  async function findDownloadable(request: {
    params: { modelId: string };
    query: { sig?: string };
    headers: { authorization?: string };
  }): Promise<ModelRow> {
    const req = request as Parameters<typeof authenticateDevice>[0] & typeof request;
    let orgId: string;
    if (request.query.sig) {
      const model = await findModelAnyOrg(request.params.modelId);
      if (
        !model?.sha256 ||
        !verifyModelSignature(config.jwtSecret, model.id, model.sha256, request.query.sig)
      ) {
        throw notFound('model');
      }
      return model;
    } else if (request.headers.authorization?.startsWith('Basic ')) {
      orgId = (await authenticateDevice(req)).orgId;
    } else {
      await app.authenticate(req, undefined as never);
      orgId = req.auth.orgId;
    }
    const model = await getModel(db, orgId, request.params.modelId);
    if (!model?.filePath || !model.sha256) throw notFound('model file');
    return model;
  }

  async function findModelAnyOrg(modelId: string): Promise<ModelRow | undefined> {
    // The signature binds the id and hash, so the lookup needs no organisation.
    const rows = await database.query<{ org_id: string }>('select org_id from models where id = $1', [
      modelId,
    ]);
    return rows[0] ? getModel(db, rows[0].org_id, modelId) : undefined;
  }
};
