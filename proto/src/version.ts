/**
 * Versions of the wire contract.
 *
 * `PROTOCOL_VERSION` is part of every MQTT topic (`tally/v1/...`): it changes only when the topic layout changes.
 * `SCHEMA_VERSION` is the `v` field every message carries: a receiver rejects a message whose `v` it does not
 * understand instead of guessing at its shape.
 */
export const PROTOCOL_VERSION = 'v1' as const;
export const SCHEMA_VERSION = 1 as const;
export const SUPPORTED_SCHEMA_VERSIONS: readonly number[] = [SCHEMA_VERSION];
