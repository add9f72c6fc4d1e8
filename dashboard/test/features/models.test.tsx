import { createHash } from 'node:crypto';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Model } from '@tally/proto';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { keyFromFileName } from '../../src/features/models/components/upload-form';
import { FakeXhr } from '../support/fake-xhr';
import { camera, device } from '../support/fixtures';
import { renderApp, signedInTransport, stubApi } from '../support/render';

// The page is a lazy route: load its module once up front, so a cold import on a busy machine does not eat the
// first assertion's time.
beforeAll(async () => {
  await import('../../src/features/models/routes/models');
}, 30_000);

const MODEL_ID = '88888888-8888-4888-8888-888888888888';
const model = (over: Partial<Model> = {}): Model => ({
  id: MODEL_ID,
  key: 'yolox-nano',
  name: 'yolox_nano',
  version: '1',
  layout: 'yolox',
  sha256: 'a'.repeat(64),
  sizeBytes: 3_600_000,
  classNames: null,
  createdAt: '2026-03-01T10:00:00Z',
  ...over,
});

const fleet = (extra: Record<string, Parameters<typeof stubApi>[0][string]> = {}) => ({
  'GET /api/models': { body: [] },
  'GET /api/devices': { body: [device()] },
  'GET /api/cameras': { body: [camera] },
  ...extra,
});

function fakeXhr() {
  FakeXhr.instances = [];
  vi.stubGlobal('XMLHttpRequest', FakeXhr);
}

describe('models page', () => {
  it('derives a catalogue key from the file name', () => {
    expect(keyFromFileName('YOLOX_nano v2.onnx')).toBe('yolox-nano-v2');
    expect(keyFromFileName('--a.onnx')).toBe('a');
  });

  it('an admin uploads a model: a progress bar while it goes, then the sha256, checked against the file', async () => {
    fakeXhr();
    const bytes = new Uint8Array(2048).map((_, i) => (i * 7) % 256);
    const sha = createHash('sha256').update(bytes).digest('hex');
    const calls = stubApi(
      fleet({
        'POST /api/models': () =>
          new Response(JSON.stringify(model({ sha256: null, sizeBytes: null })), { status: 201 }),
      }),
    );
    renderApp('/models', signedInTransport('admin'));
    const input = (await screen.findByLabelText('ONNX file')) as HTMLInputElement;
    await userEvent.upload(input, new File([bytes], 'yolox_nano.onnx', { type: 'application/octet-stream' }));
    expect((screen.getByLabelText(/^Key/) as HTMLInputElement).value).toBe('yolox-nano');
    await userEvent.clear(screen.getByLabelText('Version'));
    await userEvent.type(screen.getByLabelText('Version'), '0.1.0');
    await userEvent.click(screen.getByRole('button', { name: 'Upload model' }));

    await waitFor(() => expect(FakeXhr.latest()).toBeTruthy());
    const post = calls.find((c) => c.method === 'POST')!;
    expect(JSON.parse(String(post.init!.body))).toEqual({
      key: 'yolox-nano',
      name: 'yolox_nano',
      version: '0.1.0',
      layout: 'yolox',
    });
    const xhr = FakeXhr.latest()!;
    expect(xhr.method).toBe('PUT');
    expect(xhr.url).toBe(`/api/models/${MODEL_ID}/file`);
    expect(xhr.headers.authorization).toMatch(/^Bearer token-/);
    expect(xhr.headers['content-type']).toBe('application/octet-stream');
    act(() => xhr.progress(1024, 2048));
    const bar = screen.getByTestId('upload-progress') as HTMLProgressElement;
    expect(Number(bar.getAttribute('value'))).toBe(1024);
    expect(Number(bar.getAttribute('max'))).toBe(2048);
    expect(screen.getByTestId('upload-progress-text').textContent).toMatch(/^50 %/);
    act(() => xhr.respond(200, model({ sha256: sha, sizeBytes: 2048, version: '0.1.0' })));
    const done = await screen.findByTestId('upload-done');
    expect(done.textContent).toContain(sha);
    expect(done.textContent).toContain('Matches the file as this browser read it');
    expect(screen.getByTestId('upload-progress-text').textContent).toMatch(/^100 %/);
  });

  it('a refused upload says why; a missing file is caught before sending', async () => {
    fakeXhr();
    stubApi(fleet({ 'POST /api/models': { status: 201, body: model({ sha256: null }) } }));
    renderApp('/models', signedInTransport('admin'));
    await userEvent.click(await screen.findByRole('button', { name: 'Upload model' }));
    expect((await screen.findByRole('alert')).textContent).toContain('choose one .onnx file');
    expect(FakeXhr.instances).toHaveLength(0);
    await userEvent.upload(screen.getByLabelText('ONNX file'), new File([new Uint8Array(10)], 'big.onnx'));
    await userEvent.click(screen.getByRole('button', { name: 'Upload model' }));
    await waitFor(() => expect(FakeXhr.latest()).toBeTruthy());
    act(() =>
      FakeXhr.latest()!.respond(413, {
        error: { code: 'TALLY_PAYLOAD_TOO_LARGE', message: 'model files are limited to 100 bytes' },
      }),
    );
    expect((await screen.findByText(/Upload failed/)).textContent).toContain('limited to 100 bytes');
  });

  it('lists the catalogue and which model each box runs; assigning to a box patches each of its cameras', async () => {
    const calls = stubApi(
      fleet({
        'GET /api/models': { body: [model()] },
        'PATCH /api/cameras/': { body: { camera, config: { version: 3, hash: 'h' } } },
      }),
    );
    renderApp('/models', signedInTransport('admin'));
    const row = await screen.findByTestId('model-yolox-nano');
    expect(row.textContent).toContain('3,600,000 B');
    expect(row.textContent).toContain('aaaaaaaaaaaa…');
    const box = screen.getByTestId('fleet-dev-1');
    expect(within(box).getByTestId('running-model').textContent).toBe('yolox-nano');
    expect(box.textContent).toContain('config v2 applied');
    await userEvent.selectOptions(
      within(box).getByLabelText('Model for all cameras of Main entrance box'),
      MODEL_ID,
    );
    await waitFor(() => expect(calls.some((c) => c.method === 'PATCH')).toBe(true));
    const patch = calls.find((c) => c.method === 'PATCH')!;
    expect(patch.url.pathname).toBe(`/api/cameras/${camera.id}`);
    expect(JSON.parse(String(patch.init!.body))).toEqual({ modelId: MODEL_ID });
    expect(await screen.findByText(/Assigned: the box applies the new config/)).toBeTruthy();
  });

  it('empty: no models yet', async () => {
    stubApi(fleet());
    renderApp('/models', signedInTransport('owner'));
    expect(await screen.findByText(/No models uploaded yet/)).toBeTruthy();
  });

  it('forbidden: an installer neither sees the link nor the page', async () => {
    stubApi(fleet());
    renderApp('/models', signedInTransport('installer'));
    expect((await screen.findByRole('alert')).textContent).toContain(
      'You do not have access to the model catalogue',
    );
    expect(screen.queryByRole('link', { name: 'Models' })).toBeNull();
  });

  it('loading, then an error with a retry', async () => {
    stubApi(
      fleet({ 'GET /api/models': { status: 404, body: { error: { code: 'X', message: 'no catalogue' } } } }),
    );
    renderApp('/models', signedInTransport('admin'));
    expect(await screen.findByText('Loading models…')).toBeTruthy();
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('no catalogue');
    expect(within(alert).getByRole('button', { name: 'Retry' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Models' })).toBeTruthy();
  });
});
