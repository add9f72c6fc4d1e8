import { queryOptions, useMutation, useQuery } from '@tanstack/react-query';
import type { DeviceCommand, SendCommandBody } from '@tally/proto';
import type { ApiClient } from '../../../lib/api-client';
import { useApi } from '../../../lib/api-context';

const base = (deviceId: string) => `/devices/${encodeURIComponent(deviceId)}/commands`;

/** `POST /api/devices/:deviceId/commands`: sent to the box over MQTT; answers at once with a pending command. */
export const sendCommand = (api: ApiClient, deviceId: string, body: SendCommandBody) =>
  api.json<DeviceCommand>(base(deviceId), { method: 'POST', body });

export function useSendCommand(deviceId: string) {
  const api = useApi();
  return useMutation({ mutationFn: (body: SendCommandBody) => sendCommand(api, deviceId, body) });
}

/** `GET /api/devices/:deviceId/commands/:commandId`, every second until the box has answered (or not in time). */
export const commandQuery = (api: ApiClient, deviceId: string, commandId: string | null) =>
  queryOptions({
    queryKey: ['device', deviceId, 'command', commandId],
    queryFn: () => api.json<DeviceCommand>(`${base(deviceId)}/${commandId}`),
    enabled: commandId !== null,
    refetchInterval: (query) => (query.state.data && query.state.data.status !== 'pending' ? false : 1000),
  });

export function useCommand(deviceId: string, commandId: string | null) {
  return useQuery(commandQuery(useApi(), deviceId, commandId));
}
