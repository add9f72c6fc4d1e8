import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CreateModelBody, Model } from '@tally/proto';
import { ApiError, type ApiClient } from '../../../lib/api-client';
import { useApi, useSessionStore } from '../../../lib/api-context';
import type { SessionStore } from '../../../lib/session';
import { modelsQuery } from './get-models';

export interface UploadProgress {
  loaded: number;
  total: number;
}

/**
 * `PUT /api/models/:id/file` through XMLHttpRequest, because fetch reports no upload progress. Sends the session's
 * access token; on a 401 refreshes it once and starts again (as the API client does).
 */
export function putModelFile(
  session: SessionStore,
  modelId: string,
  file: Blob,
  onProgress: (p: UploadProgress) => void,
): Promise<Model> {
  const once = (token: string | null) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('PUT', `/api/models/${modelId}/file`);
      if (token) xhr.setRequestHeader('authorization', `Bearer ${token}`);
      xhr.setRequestHeader('content-type', 'application/octet-stream');
      xhr.upload.onprogress = (e) =>
        onProgress({ loaded: e.loaded, total: e.lengthComputable ? e.total : file.size });
      xhr.onload = () => resolve({ status: xhr.status, body: xhr.responseText });
      xhr.onerror = () =>
        reject(new ApiError(0, 'NETWORK', 'the upload was interrupted: check the connection and retry'));
      xhr.send(file);
    });
  return (async () => {
    let res = await once(session.accessToken);
    if (res.status === 401 && session.accessToken !== null) {
      const fresh = await session.refresh();
      if (fresh) res = await once(fresh);
    }
    const body = JSON.parse(res.body || 'null') as
      (Model & { error?: { code: string; message: string } }) | null;
    if (res.status < 200 || res.status >= 300) {
      throw new ApiError(
        res.status,
        body?.error?.code ?? `HTTP_${res.status}`,
        body?.error?.message ?? `the server answered ${res.status}`,
      );
    }
    onProgress({ loaded: file.size, total: file.size });
    return body as Model;
  })();
}

/** The sha256 of the file as the browser read it (absent where the page is not a secure context). */
export async function localSha256(file: Blob): Promise<string | null> {
  if (!globalThis.crypto?.subtle) return null;
  const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Registers the model (`POST /api/models`), then uploads its file with progress. */
export async function uploadModel(
  api: ApiClient,
  session: SessionStore,
  body: CreateModelBody,
  file: Blob,
  onProgress: (p: UploadProgress) => void,
): Promise<{ model: Model; localSha256: string | null }> {
  const created = await api.json<Model>('/models', { method: 'POST', body });
  const [model, local] = await Promise.all([
    putModelFile(session, created.id, file, onProgress),
    localSha256(file),
  ]);
  return { model, localSha256: local };
}

export function useUploadModel(onProgress: (p: UploadProgress) => void) {
  const api = useApi();
  const session = useSessionStore();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (v: { body: CreateModelBody; file: File }) =>
      uploadModel(api, session, v.body, v.file, onProgress),
    onSettled: () => client.invalidateQueries({ queryKey: modelsQuery(api).queryKey }),
  });
}
