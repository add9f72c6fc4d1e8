import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Camera, Rule } from '@tally/proto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { device, site } from '../../support/fixtures';
import { renderApp, signedInTransport, SITE_ID, stubApi, type Handler } from '../../support/render';

/**
 * The camera setup page against a stubbed cloud (the real one runs in scripts/test/camera-setup-e2e.test.ts). The
 * editor's box is 400×400 CSS px around an 800×600 frame: letterboxed to 400×300 at y 50, so the screen point
 * (x, y) is the camera point (x / 400, (y − 50) / 300) — worked by hand, independent of the code under test.
 */
const camera: Camera = {
  id: '33333333-3333-4333-8333-333333333333',
  deviceId: 'dev-1',
  siteId: SITE_ID,
  key: 'cam-1',
  name: 'Entrance camera',
  setup: {
    source: { url: 'rtsp://admin:***@10.0.0.21/stream1', rtspTransport: 'tcp' },
    fps: 10,
    inputSize: { width: 800, height: 600 },
    classes: ['person', 'bicycle'],
    scoreThreshold: 0.3,
  },
  modelId: null,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
};

const version = (v: number, status: string, extra: object = {}) => ({
  version: v,
  hash: 'h'.repeat(64),
  status,
  createdAt: new Date(Date.now() - 60_000 * (10 - v)).toISOString(),
  answeredAt: null,
  ...extra,
});

function table(over: Record<string, Handler> = {}): Record<string, Handler> {
  return {
    [`GET /api/sites/${SITE_ID}`]: { body: site },
    'GET /api/devices': { body: [device()] },
    'GET /api/devices/dev-1/cameras': { body: [camera] },
    [`GET /api/cameras/${camera.id}/rules`]: { body: [] as Rule[] },
    'GET /api/devices/dev-1/config-versions': { body: [version(3, 'applied'), version(2, 'applied')] },
    'GET /api/devices/dev-1/cameras/cam-1/snapshot': {
      status: 404,
      body: { error: { code: 'TALLY_NOT_FOUND', message: 'snapshot not found' } },
    },
    ...over,
  };
}

const press = (el: Element, type: 'pointerDown' | 'pointerMove' | 'pointerUp', x: number, y: number) =>
  fireEvent[type](el, { clientX: x, clientY: y, pointerId: 1, pointerType: 'touch', button: 0 });
const tap = (el: Element, x: number, y: number) => {
  press(el, 'pointerDown', x, y);
  press(el, 'pointerUp', x, y);
};

beforeEach(() => {
  const box = () =>
    ({
      x: 0,
      y: 0,
      left: 0,
      top: 0,
      right: 400,
      bottom: 400,
      width: 400,
      height: 400,
      toJSON: () => ({}),
    }) as DOMRect;
  vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockImplementation(box);
  vi.spyOn(SVGElement.prototype, 'getBoundingClientRect').mockImplementation(box);
});
afterEach(() => vi.restoreAllMocks());

async function openEditor(
  role: 'installer' | 'site_manager' = 'installer',
  over: Record<string, Handler> = {},
) {
  const calls = stubApi(table(over));
  renderApp(`/sites/${SITE_ID}/camera-setup`, signedInTransport(role));
  const canvas = await screen.findByTestId('rule-canvas', undefined, { timeout: 10_000 });
  return { calls, canvas };
}

const putBody = (calls: { method: string; url: URL; init?: RequestInit }[]) =>
  JSON.parse(String(calls.find((c) => c.method === 'PUT')!.init!.body)) as {
    rules: Array<Record<string, unknown>>;
  };

describe('camera setup page', () => {
  it('a viewer gets a forbidden state and no setup link', async () => {
    stubApi(table());
    renderApp(`/sites/${SITE_ID}/camera-setup`, signedInTransport('viewer'));
    expect((await screen.findByTestId('forbidden', undefined, { timeout: 10_000 })).textContent).toContain(
      'cannot set up cameras',
    );
    expect(screen.queryByRole('link', { name: 'Setup' })).toBeNull();
    expect(screen.queryByTestId('rule-canvas')).toBeNull();
  });

  it('draws a line where it was pressed (letterboxed picture), flips it, and saves normalised points', async () => {
    const { calls, canvas } = await openEditor('installer', {
      [`PUT /api/cameras/${camera.id}/rules`]: { body: { rules: [], config: { version: 4, hash: 'h' } } },
    });
    expect(screen.getByRole('link', { name: 'Setup' })).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: /Add line/ }));
    tap(canvas, 40, 110); // camera (0.1, 0.2): 60 px into the 300 px picture below the 50 px bar
    press(canvas, 'pointerMove', 200, 120);
    tap(canvas, 360, 110); // camera (0.9, 0.2)
    // Drawn left → right: in is below (y down). The arrow starts mid-line and points down on screen.
    const arrow = await screen.findByTestId('arrow-line-1');
    expect(Number(arrow.getAttribute('y2'))).toBeGreaterThan(Number(arrow.getAttribute('y1')));
    await userEvent.click(screen.getByRole('button', { name: /Flip direction/ }));
    expect(Number(screen.getByTestId('arrow-line-1').getAttribute('y2'))).toBeLessThan(110);
    await userEvent.clear(screen.getByLabelText('Name of line-1'));
    await userEvent.type(screen.getByLabelText('Name of line-1'), 'Shop door');
    await userEvent.click(screen.getByRole('button', { name: /Save lines and zones/ }));
    await waitFor(() => expect(calls.some((c) => c.method === 'PUT')).toBe(true));
    expect(putBody(calls).rules).toEqual([
      {
        key: 'line-1',
        kind: 'line',
        name: 'Shop door',
        definition: { classes: ['person'], p1: { x: 0.9, y: 0.2 }, p2: { x: 0.1, y: 0.2 } },
      },
    ]);
  });

  it('draws a zone by taps, closes it on its first point, drags a point and the shape, deletes a point', async () => {
    const { calls, canvas } = await openEditor('site_manager', {
      [`PUT /api/cameras/${camera.id}/rules`]: { body: { rules: [], config: { version: 4, hash: 'h' } } },
    });
    await userEvent.click(screen.getByRole('button', { name: /Add zone/ }));
    tap(canvas, 40, 80); // (0.1, 0.1)
    tap(canvas, 200, 80); // (0.5, 0.1)
    tap(canvas, 200, 200); // (0.5, 0.5)
    tap(canvas, 40, 200); // (0.1, 0.5)
    expect(screen.getByRole('button', { name: /Close shape/ })).toBeTruthy();
    tap(canvas, 42, 82); // on the first point: closes
    expect(screen.queryByRole('button', { name: /Close shape/ })).toBeNull();
    expect(canvas.querySelector('polygon')).not.toBeNull();

    // Drag the third point from (200, 200) to (280, 230): camera (0.7, 0.6).
    press(canvas, 'pointerDown', 200, 200);
    press(canvas, 'pointerMove', 260, 220);
    press(canvas, 'pointerMove', 280, 230);
    press(canvas, 'pointerUp', 280, 230);
    // Drag the whole zone by (+20, +15) px from inside it: +0.05 on both axes.
    press(canvas, 'pointerDown', 100, 120);
    press(canvas, 'pointerMove', 120, 135);
    press(canvas, 'pointerUp', 120, 135);
    // Select the last point (now at (60, 215)) and delete it.
    tap(canvas, 60, 215);
    await userEvent.click(screen.getByRole('button', { name: /Delete point/ }));
    await userEvent.type(screen.getByPlaceholderText('off'), '45');
    await userEvent.click(screen.getByRole('button', { name: /Save lines and zones/ }));
    await waitFor(() => expect(calls.some((c) => c.method === 'PUT')).toBe(true));
    expect(putBody(calls).rules).toEqual([
      {
        key: 'zone-1',
        kind: 'zone',
        name: 'Zone 1',
        definition: {
          classes: ['person'],
          polygon: [
            { x: 0.15, y: 0.15 },
            { x: 0.55, y: 0.15 },
            { x: 0.75, y: 0.65 },
          ],
          dwellThresholdS: 45,
        },
      },
    ]);
  });

  it('shows the newest version pending, then applied once the device answered', async () => {
    let answer = 'pending';
    const { canvas } = await openEditor('installer', {
      [`PUT /api/cameras/${camera.id}/rules`]: { body: { rules: [], config: { version: 4, hash: 'h' } } },
      'GET /api/devices/dev-1/config-versions': () =>
        new Response(JSON.stringify([version(4, answer), version(3, 'applied')])),
    });
    expect((await screen.findByTestId('config-latest')).textContent).toContain('Version 4: pending');
    answer = 'applied';
    await userEvent.click(screen.getByRole('button', { name: /Add line/ }));
    tap(canvas, 40, 200);
    tap(canvas, 360, 200);
    await userEvent.click(screen.getByRole('button', { name: /Save lines and zones/ }));
    await waitFor(() =>
      expect(screen.getByTestId('config-latest').textContent).toContain('Version 4: applied'),
    );
  });

  it('lists a rejected version with the device message and restores an earlier one', async () => {
    const { calls } = await openEditor('installer', {
      'GET /api/devices/dev-1/config-versions': {
        body: [
          version(5, 'rejected', {
            errors: [{ path: '/cameras/0/zones/0', message: 'unknown class "dragon"' }],
          }),
          version(4, 'applied'),
        ],
      },
      'POST /api/devices/dev-1/config-versions/4/restore': {
        body: {
          restoredFrom: 4,
          config: { version: 6, hash: 'h' },
          cameras: [{ key: 'cam-1', action: 'restored' }],
        },
      },
    });
    expect((await screen.findByTestId('config-latest')).textContent).toContain('Version 5: rejected');
    expect(screen.getByTestId('config-errors').textContent).toContain('unknown class "dragon"');
    await userEvent.click(screen.getByText('Earlier versions'));
    await userEvent.click(screen.getByRole('button', { name: /Restore version 4/ }));
    expect(await screen.findByText('Restored version 4 as version 6.')).toBeTruthy();
    expect(
      calls.some((c) => c.method === 'POST' && c.url.pathname.endsWith('/config-versions/4/restore')),
    ).toBe(true);
  });

  it("asks for a fresh snapshot, shows progress, then the device's error", async () => {
    let polls = 0;
    await openEditor('installer', {
      'POST /api/devices/dev-1/commands': {
        status: 202,
        body: { commandId: 'c1', status: 'pending', issuedAt: new Date().toISOString() },
      },
      'GET /api/devices/dev-1/commands/c1': () => {
        polls += 1;
        return new Response(
          JSON.stringify(
            polls < 2
              ? { commandId: 'c1', status: 'pending', error: null, issuedAt: new Date().toISOString() }
              : {
                  commandId: 'c1',
                  status: 'failed',
                  error: 'no running camera cam-1',
                  issuedAt: new Date().toISOString(),
                },
          ),
        );
      },
    });
    expect(screen.getByTestId('snapshot-age').textContent).toContain('No snapshot yet');
    await userEvent.click(screen.getByRole('button', { name: /Fresh snapshot/ }));
    expect(await screen.findByLabelText('Waiting for the device')).toBeTruthy();
    const alert = await screen.findByText(/could not take a snapshot/, undefined, { timeout: 5000 });
    expect(alert.textContent).toContain('no running camera cam-1');
    expect(screen.getByRole('button', { name: /Fresh snapshot/ })).toBeTruthy();
  });

  it('sends an untouched masked URL back as shown (the cloud keeps the password), an edited one only in full', async () => {
    const { calls } = await openEditor('installer', {
      [`PATCH /api/cameras/${camera.id}`]: { body: { camera, config: { version: 7 } } },
    });
    const form = screen.getByRole('form', { name: 'Camera source' });
    const url = within(form).getByLabelText('Camera URL') as HTMLInputElement;
    expect(url.value).toBe('rtsp://admin:***@10.0.0.21/stream1');
    await userEvent.type(within(form).getByLabelText(/Detections per second/), '5');
    await userEvent.click(within(form).getByRole('button', { name: /Save camera settings/ }));
    await screen.findByText('Saved as version 7.');
    const first = JSON.parse(String(calls.filter((c) => c.method === 'PATCH')[0]!.init!.body));
    expect(first.setup.source).toEqual({ rtspTransport: 'tcp', url: 'rtsp://admin:***@10.0.0.21/stream1' });
    expect(first.setup.detectFps).toBe(5);

    await userEvent.clear(url);
    await userEvent.type(url, 'rtsp://admin:***@10.0.0.22/stream1');
    await userEvent.click(within(form).getByRole('button', { name: /Save camera settings/ }));
    expect(await within(form).findByText(/Type the password in full/)).toBeTruthy();
    expect(calls.filter((c) => c.method === 'PATCH')).toHaveLength(1);

    await userEvent.clear(url);
    await userEvent.type(url, 'rtsp://admin:s3cret@10.0.0.22/stream1');
    await userEvent.click(within(form).getByRole('button', { name: /Save camera settings/ }));
    await waitFor(() => expect(calls.filter((c) => c.method === 'PATCH')).toHaveLength(2));
    const second = JSON.parse(String(calls.filter((c) => c.method === 'PATCH')[1]!.init!.body));
    expect(second.setup.source).toEqual({
      rtspTransport: 'tcp',
      url: 'rtsp://admin:s3cret@10.0.0.22/stream1',
    });
  });
});
