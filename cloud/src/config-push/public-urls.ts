import { modelSignature } from '../auth/signed-url';
import type { CloudConfig } from '../config';

/** Base URL devices use for HTTP (model downloads, snapshot uploads): PUBLIC_API_URL, else this host's port. */
export function publicApiUrl(config: CloudConfig): string {
  return (config.publicApiUrl ?? `http://127.0.0.1:${config.port}`).replace(/\/+$/, '');
}

/** What devices are told to connect to: PUBLIC_MQTT_URL, else MQTT_URL, else the embedded broker's port. */
export function publicMqttUrl(config: CloudConfig, embeddedPort?: number): string {
  if (config.publicMqttUrl) return config.publicMqttUrl;
  if (config.mqttUrl) return config.mqttUrl;
  return `mqtt://127.0.0.1:${embeddedPort ?? config.mqttPort}`;
}

/** The URL a device downloads a model from: signed, so it needs no credentials (see auth/signed-url.ts). */
export function modelFileUrl(config: CloudConfig, modelId: string, sha256: string): string {
  return `${publicApiUrl(config)}/api/models/${modelId}/file?sig=${modelSignature(config.jwtSecret, modelId, sha256)}`;
}
