import type { FastifyInstance, RouteOptions } from 'fastify';
import { ERRORS } from '../../errors';

/**
 * The OpenAPI summary and description of every /api operation, in one place: a route that declares its own keeps
 * them; the others get theirs here by `METHOD /path` when they are registered. A test lists every operation that has
 * neither (cloud/test/app/openapi-docs.test.ts), so a new route cannot ship undocumented.
 */
export const OPERATION_DOCS: Record<string, [summary: string, description: string]> = {
  'POST /api/auth/login': [
    'Sign in',
    'Email and password for an access token and a refresh token. Rate limited per address.',
  ],
  'POST /api/auth/refresh': [
    'Refresh the tokens',
    'Trades a refresh token for a new pair; a reused refresh token revokes the session.',
  ],
  'POST /api/auth/logout': ['Sign out', 'Revokes the refresh token.'],
  'POST /api/auth/password': [
    'Change my password',
    'Needs the current password; revokes the other sessions.',
  ],
  'GET /api/me': ['Who am I', 'The signed-in user, role and the sites it may see.'],
  'GET /api/users': ['List users', "The organisation's users (owners and admins)."],
  'POST /api/users': ['Create a user', 'A user with a role and, for site roles, its sites.'],
  'GET /api/users/:userId': ['Get a user', 'One user of the organisation.'],
  'PATCH /api/users/:userId': ['Update a user', 'Name, role, sites, or disable the account.'],
  'DELETE /api/users/:userId': ['Delete a user', 'Removes the user and revokes its sessions.'],
  'POST /api/users/:userId/password-reset': [
    'Reset a password',
    'Sets a random temporary password, returned once, and ends every session of the user.',
  ],
  'GET /api/sites': ['List sites', 'The sites the caller may read.'],
  'POST /api/sites': [
    'Create a site',
    'A place with cameras, with its IANA time zone (analytics days are local).',
  ],
  'GET /api/sites/:siteId': ['Get a site', 'One site.'],
  'PATCH /api/sites/:siteId': [
    'Update a site',
    'Name or time zone (a time-zone change rebuilds its daily rollups).',
  ],
  'DELETE /api/sites/:siteId': ['Delete a site', 'Only a site without devices.'],
  'GET /api/devices': ['List devices', 'Edge boxes with status, last seen and config state.'],
  'GET /api/devices/:deviceId': ['Get a device', 'One edge box with its status and config state.'],
  'PATCH /api/devices/:deviceId': ['Update a device', 'Name or site.'],
  'DELETE /api/devices/:deviceId': ['Delete a device', 'Removes the box and disconnects it.'],
  'POST /api/devices/:deviceId/revoke': [
    'Revoke a device',
    'The box is disconnected and refused from now on.',
  ],
  'POST /api/devices/:deviceId/credentials': [
    'Rotate device credentials',
    'New MQTT credentials for the box.',
  ],
  'GET /api/devices/:deviceId/config': [
    'Get the device config',
    'The configuration last published to the box (camera passwords masked).',
  ],
  'GET /api/devices/:deviceId/config-versions': [
    'List config versions',
    'Published versions and what the box answered.',
  ],
  'GET /api/cameras': [
    'List cameras',
    'Cameras of the sites the caller may read; source URL secrets masked (`rtsp://user:***@host/…`) for every role.',
  ],
  'GET /api/devices/:deviceId/cameras': ['List cameras of a device', 'The cameras one box runs.'],
  'POST /api/devices/:deviceId/cameras': [
    'Add a camera',
    'A camera on a box; a new config version is published to it. A source URL password is stored encrypted and answered masked.',
  ],
  'GET /api/cameras/:cameraId': ['Get a camera', 'One camera with its setup (source URL secrets masked).'],
  'PATCH /api/cameras/:cameraId': [
    'Update a camera',
    'Source, rate, classes; publishes a new config version. A source URL sent back masked (`***`) keeps the stored password when scheme, user and host are unchanged; a new URL replaces it.',
  ],
  'DELETE /api/cameras/:cameraId': ['Delete a camera', 'Stops it on the box (a new config version).'],
  'GET /api/cameras/:cameraId/rules': ['List counting rules', 'Lines and zones of a camera.'],
  'POST /api/cameras/:cameraId/rules': [
    'Add a counting rule',
    'A line or a zone in normalised coordinates; publishes a new config version.',
  ],
  'GET /api/rules/:ruleId': ['Get a counting rule', 'One line or zone.'],
  'PATCH /api/rules/:ruleId': [
    'Update a counting rule',
    'Geometry, name, classes; publishes a new config version.',
  ],
  'DELETE /api/rules/:ruleId': ['Delete a counting rule', 'Its counts stay in the analytics.'],
  'POST /api/sites/:siteId/claim-codes': [
    'Create a claim code',
    'A one-time code a new box provisions itself with.',
  ],
  'POST /api/provision': [
    'Provision a box',
    'A box trades a claim code for its identity and MQTT credentials. Rate limited.',
  ],
  'GET /api/audit': ['Read the audit log', 'Who did what in the organisation, newest first.'],
  'GET /api/models': ['List detector models', 'Models the boxes can download.'],
  'POST /api/models': ['Register a model', 'Its metadata; the file is uploaded next.'],
  'PUT /api/models/:modelId/file': ['Upload a model file', 'The ONNX file, checked against its sha256.'],
  'GET /api/models/:modelId/file': ['Download a model file', 'For boxes (device credentials) and admins.'],
  'DELETE /api/models/:modelId': ['Delete a model', 'Only a model no camera uses.'],
  'PUT /api/devices/:deviceId/cameras/:cameraId/snapshot': [
    'Upload a snapshot',
    'A box uploads the current frame of a camera (JPEG).',
  ],
  'GET /api/devices/:deviceId/cameras/:cameraId/snapshot': [
    'Get a snapshot',
    'The latest frame of a camera, for drawing lines and zones.',
  ],
  'GET /api/sites/:siteId/analytics/counts': [
    'Counts report',
    'Counts per bucket and group in the site time zone, with totals and an optional previous period.',
  ],
  'GET /api/sites/:siteId/analytics/occupancy': [
    'Occupancy report',
    'Occupancy per zone now and its peak in the range.',
  ],
  'GET /api/sites/:siteId/analytics/dwell': ['Dwell report', 'Visits and dwell times per zone.'],
  'GET /api/sites/:siteId/analytics/export': ['Export counts (CSV)', 'The counts report as CSV.'],
  'GET /api/sites/:siteId/alert-rules': ['List alert rules', 'Thresholds that raise alerts for a site.'],
  'POST /api/sites/:siteId/alert-rules': [
    'Create an alert rule',
    'A threshold with its delivery (webhook or email).',
  ],
  'DELETE /api/sites/:siteId/alert-rules/:ruleId': ['Delete an alert rule', 'Stops its evaluation.'],
  'GET /api/sites/:siteId/alerts': ['List alerts', 'Alerts raised for a site, newest first.'],
  'POST /api/sites/:siteId/alerts/:alertId/ack': [
    'Acknowledge an alert',
    'Records who acknowledged the alert and when (the first acknowledgement stands); audited. Site managers and up.',
  ],
  'POST /api/invitations': [
    'Invite an owner',
    'An owner issues a one-time code for one email that joins this organisation with `create-owner --invitation`; shown once, valid 72 h.',
  ],
  'GET /api/devices/:deviceId/history': [
    'Device state history',
    'State changes of the device (online, offline, silent) and of its cameras, newest first.',
  ],
  'GET /api/ingest/quarantine': [
    'Quarantined messages',
    'What ingest could not store even alone (bad time zone, seq out of range, unknown camera or rule), with the reason, newest first. Owners and admins.',
  ],
  'GET /api/overview': [
    'Overview of every site',
    "Every site the caller may read: today's in and out in the site's time zone, current occupancy, a 24 h spark line, device health and open alerts.",
  ],
  'GET /api/sites/:siteId/reports': ['List scheduled reports', 'Periodic reports of a site.'],
  'POST /api/sites/:siteId/reports': ['Schedule a report', 'A periodic counts report by email or webhook.'],
  'DELETE /api/sites/:siteId/reports/:reportId': ['Delete a scheduled report', 'No more deliveries.'],
  'GET /api/live': [
    'Live updates (WebSocket)',
    'Upgrade to a WebSocket with `?token=<accessToken>`. Messages are JSON objects (proto `LiveMessage`): `hello` ' +
      '(the sites this socket receives), `counts` (new counts as they are stored), `occupancy`, `device_status` ' +
      '(online/offline) and `alert`. Only sites the user may read; the socket closes when the token expires.',
  ],
};

/** Fills summary and description from OPERATION_DOCS for routes registered after it (call before the routes). */
export function installOperationDocs(app: FastifyInstance): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    const method = Array.isArray(route.method) ? route.method[0] : route.method;
    const doc = OPERATION_DOCS[`${method} ${route.url}`];
    if (!doc || !route.schema) return;
    const schema = route.schema as { summary?: string; description?: string };
    route.schema = {
      ...route.schema,
      summary: schema.summary ?? doc[0],
      description: schema.description ?? doc[1],
    };
  });
}

/**
 * The live WebSocket as an OpenAPI tag: swagger leaves WebSocket routes out of `paths`, so `GET /api/live` and its
 * messages are described here.
 */
export function liveTag(): { name: string; description: string } {
  const [summary, description] = OPERATION_DOCS['GET /api/live']!;
  return { name: 'live', description: `**GET /api/live** — ${summary}. ${description}` };
}

/** The API's description in the OpenAPI document: conventions and every error code. */
export function apiDescription(): string {
  const codes = Object.entries(ERRORS)
    .map(([code, status]) => `| ${status} | \`${code}\` |`)
    .join('\n');
  return [
    'Tally cloud API. Authenticate with `Authorization: Bearer <accessToken>` from `POST /api/auth/login`.',
    'Every error answers `{"error": {"code", "message", "issues"?}}` with one of these codes:',
    '',
    '| status | code |',
    '|---|---|',
    codes,
    '',
    'Live updates: `GET /api/live` upgrades to a WebSocket (see the `live` tag).',
  ].join('\n');
}
