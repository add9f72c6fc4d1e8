import { isIP } from 'node:net';

/**
 * Where the cloud must not send requests on a user's behalf (server-side request forgery): loopback, link-local
 * (169.254.169.254 is the metadata service of every major cloud), private and shared address space, unspecified,
 * multicast and broadcast. Pure: addresses in, answers out.
 */
const V4_BLOCKED: Array<[number, number]> = [
  [0x00000000, 8], // 0.0.0.0/8 "this network"
  [0x0a000000, 8], // 10/8 private
  [0x64400000, 10], // 100.64/10 shared (carrier-grade NAT)
  [0x7f000000, 8], // 127/8 loopback
  [0xa9fe0000, 16], // 169.254/16 link-local, cloud metadata
  [0xac100000, 12], // 172.16/12 private
  [0xc0000000, 24], // 192.0.0/24 protocol assignments
  [0xc0a80000, 16], // 192.168/16 private
  [0xc6120000, 15], // 198.18/15 benchmarking
  [0xe0000000, 4], // 224/4 multicast
  [0xf0000000, 4], // 240/4 reserved, broadcast
];

function v4Number(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

function blockedV4(ip: string): boolean {
  const n = v4Number(ip);
  return V4_BLOCKED.some(
    ([base, bits]) => Math.floor(n / 2 ** (32 - bits)) === Math.floor(base / 2 ** (32 - bits)),
  );
}

function blockedV6(ip: string): boolean {
  const lower = ip.toLowerCase();
  // IPv4-mapped (::ffff:a.b.c.d, which URL parsing turns into ::ffff:xxxx:yyyy): judged as the IPv4 address.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (mapped) return blockedV4(mapped[1]!);
  const mappedHex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (mappedHex) {
    const n = parseInt(mappedHex[1]!, 16) * 65536 + parseInt(mappedHex[2]!, 16);
    return blockedV4([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.'));
  }
  if (lower === '::' || lower === '::1') return true;
  const first = parseInt(lower.split(':')[0] || '0', 16);
  return (
    (first & 0xfe00) === 0xfc00 || // fc00::/7 unique local (AWS's fd00:ec2::254 metadata too)
    (first & 0xffc0) === 0xfe80 || // fe80::/10 link-local
    (first & 0xff00) === 0xff00 // ff00::/8 multicast
  );
}

/** Whether an IP address (v4 or v6, no brackets) is one the cloud must not connect to for a user. */
export function isBlockedAddress(ip: string): boolean {
  const kind = isIP(ip);
  if (kind === 4) return blockedV4(ip);
  if (kind === 6) return blockedV6(ip);
  return true;
}

/**
 * Why a webhook URL is refused, or null when it is fine: not http(s), or (unless private targets are allowed) a
 * host that is a blocked address literal or a name for this machine. Names are checked again when resolved, at
 * delivery (alerts/post-json.ts), because DNS can point anywhere.
 */
export function webhookUrlProblem(url: string, allowPrivate: boolean): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'not a URL';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    return 'only http:// and https:// webhooks';
  if (allowPrivate) return null;
  const host = parsed.hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
  if (isIP(host) ? isBlockedAddress(host) : host === 'localhost' || host.endsWith('.localhost')) {
    return `${host} is a loopback, link-local, private or metadata address (ALLOW_PRIVATE_WEBHOOKS=true permits it)`;
  }
  return null;
}
