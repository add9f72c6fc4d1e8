import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Camera } from '@tally/proto';
import { describe, expect, it } from 'vitest';
import { cameraKeyFor } from '../../../src/features/camera-setup/components/camera-key';
import { device, site } from '../../support/fixtures';
import { renderApp, signedInTransport, SITE_ID, stubApi } from '../../support/render';

describe('adding a camera to a box', () => {
  it('a new box has no camera: the installer adds one and lands on its setup', async () => {
    let cameras: Camera[] = [];
    const calls = stubApi({
      [`GET /api/sites/${SITE_ID}`]: { body: site },
      'GET /api/devices': { body: [device()] },
      'GET /api/devices/dev-1/cameras': () => new Response(JSON.stringify(cameras), { status: 200 }),
      'POST /api/devices/dev-1/cameras': (_url, init) => {
        const body = JSON.parse(String(init!.body)) as { key: string; name: string; setup: Camera['setup'] };
        const camera: Camera = {
          id: '44444444-4444-4444-8444-444444444444',
          deviceId: 'dev-1',
          siteId: SITE_ID,
          ...body,
          modelId: null,
          createdAt: '2026-01-01T00:00:00Z',
          updatedAt: '2026-01-01T00:00:00Z',
        };
        cameras = [camera];
        return new Response(JSON.stringify({ camera, config: { version: 2, hash: 'h' } }), { status: 201 });
      },
      'GET /api/cameras/': { body: [] },
      'GET /api/devices/dev-1/config-versions': { body: [] },
      'GET /api/devices/dev-1/cameras/front-door/snapshot': {
        status: 404,
        body: { error: { code: 'TALLY_NOT_FOUND', message: 'snapshot not found' } },
      },
    });
    const { router } = renderApp(`/sites/${SITE_ID}/camera-setup`, signedInTransport('installer'));
    const form = await screen.findByRole('form', { name: 'Add camera' }, { timeout: 10_000 });
    expect(screen.getByText(/no camera yet/)).toBeTruthy();

    await userEvent.click(within(form).getByRole('button', { name: 'Add camera' }));
    expect(await within(form).findByText('name the camera, e.g. Front door')).toBeTruthy();
    expect(calls.filter((c) => c.method === 'POST')).toEqual([]);

    await userEvent.type(within(form).getByLabelText('Camera name'), 'Front Door');
    await userEvent.type(within(form).getByLabelText('Stream URL'), ' rtsp://cam:pw@192.168.1.20/stream1 ');
    await userEvent.clear(within(form).getByLabelText('Width'));
    await userEvent.type(within(form).getByLabelText('Width'), '1920');
    await userEvent.clear(within(form).getByLabelText('Height'));
    await userEvent.type(within(form).getByLabelText('Height'), '1080');
    await userEvent.click(within(form).getByRole('button', { name: 'Add camera' }));

    await waitFor(() => expect(router.state.location.search).toContain('camera=front-door'));
    const post = calls.find((c) => c.method === 'POST')!;
    expect(JSON.parse(String(post.init!.body))).toEqual({
      key: 'front-door',
      name: 'Front Door',
      setup: {
        source: { url: 'rtsp://cam:pw@192.168.1.20/stream1' },
        fps: 10,
        inputSize: { width: 1920, height: 1080 },
        classes: ['person'],
        scoreThreshold: 0.3,
      },
    });
    expect(await screen.findByTestId('rule-canvas', undefined, { timeout: 10_000 })).toBeTruthy();
  });

  it('shows the cloud refusing the URL, in its words', async () => {
    stubApi({
      [`GET /api/sites/${SITE_ID}`]: { body: site },
      'GET /api/devices': { body: [device()] },
      'GET /api/devices/dev-1/cameras': { body: [] },
      'POST /api/devices/dev-1/cameras': {
        status: 400,
        body: {
          error: {
            code: 'TALLY_VALIDATION',
            message: '/setup/source/url: not accepted: expected rtsp(s)://…',
          },
        },
      },
    });
    renderApp(`/sites/${SITE_ID}/camera-setup`, signedInTransport('installer'));
    const form = await screen.findByRole('form', { name: 'Add camera' }, { timeout: 10_000 });
    await userEvent.type(within(form).getByLabelText('Camera name'), 'Yard');
    await userEvent.type(within(form).getByLabelText('Stream URL'), 'ftp://x');
    await userEvent.click(within(form).getByRole('button', { name: 'Add camera' }));
    expect((await within(form).findByRole('alert')).textContent).toContain('not accepted');
  });
});

describe('cameraKeyFor', () => {
  it('makes an id the contract accepts, unique on the box', () => {
    expect(cameraKeyFor('Front Door', [])).toBe('front-door');
    expect(cameraKeyFor('Café / Terrasse #2', [])).toBe('cafe-terrasse-2');
    expect(cameraKeyFor('Front Door', ['front-door', 'front-door-2'])).toBe('front-door-3');
    expect(cameraKeyFor('***', [])).toBe('camera');
    for (const name of ['Ünïcødé', '-x-', 'a'.repeat(200), '  ']) {
      expect(cameraKeyFor(name, [])).toMatch(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/);
    }
  });
});
