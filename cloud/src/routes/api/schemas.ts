import { Type } from '@sinclair/typebox';
import { ApiError } from '@tally/proto';

/** proto's ApiError by reference (registered once with app.addSchema), for each route's error responses. */
const Err = Type.Ref(ApiError);

export const errors = {
  400: Err,
  401: Err,
  403: Err,
  404: Err,
  409: Err,
} as const;

export const NoContent = Type.Null({ description: 'No content' });

export const SiteParams = Type.Object({ siteId: Type.String({ format: 'uuid' }) });
export const UserParams = Type.Object({ userId: Type.String({ format: 'uuid' }) });
export const DeviceParams = Type.Object({
  deviceId: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$' }),
});
export const CameraParams = Type.Object({ cameraId: Type.String({ format: 'uuid' }) });
export const RuleParams = Type.Object({ ruleId: Type.String({ format: 'uuid' }) });
export const ModelParams = Type.Object({ modelId: Type.String({ format: 'uuid' }) });

export const bearer = [{ bearer: [] }];
