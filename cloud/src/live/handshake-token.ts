import type { IncomingHttpHeaders } from 'node:http';
import { LIVE_PROTOCOL, LIVE_TOKEN_PROTOCOL_PREFIX } from '@tally/proto';

/**
 * The access token a live WebSocket handshake carries, if any: a `Bearer` Authorization header (non-browser
 * clients) or a `tally.bearer.<token>` subprotocol (browsers cannot set headers). Never the URL: URLs are logged.
 */
export function handshakeToken(headers: IncomingHttpHeaders): string | undefined {
  const header = headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length).trim() || undefined;
  for (const protocol of offeredProtocols(headers)) {
    if (protocol.startsWith(LIVE_TOKEN_PROTOCOL_PREFIX)) {
      return protocol.slice(LIVE_TOKEN_PROTOCOL_PREFIX.length) || undefined;
    }
  }
  return undefined;
}

/**
 * The subprotocol the server answers: LIVE_PROTOCOL when offered, never the token one (the answer would echo the
 * token back); false otherwise, so a client that offered only a token learns at once that it spoke wrongly.
 */
export function chooseProtocol(offered: ReadonlySet<string>): string | false {
  return offered.has(LIVE_PROTOCOL) ? LIVE_PROTOCOL : false;
}

function offeredProtocols(headers: IncomingHttpHeaders): string[] {
  const raw = headers['sec-websocket-protocol'];
  if (!raw) return [];
  return (Array.isArray(raw) ? raw.join(',') : raw).split(',').map((p) => p.trim());
}
