import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { CameraConfig, CameraHealth } from '@tally/proto';
import type { HistogramSnapshot } from '../health/latency-histogram';
import type { CameraRunner, CameraRunnerFactory, CameraSink, ResolvedModel } from './camera-runner';
import type { GpuOptions } from '../detect/gpu-options';
import { DetectorPool, type DetectorLease } from './detector-pool';
import { defaultDetectorSessions } from '../detect/onnx-model';
import type { FromWorker, ToWorker, WorkerInit } from './worker-protocol';

/** The workers run TypeScript sources like the main thread: a small .mjs entry registers tsx in the thread. */
const BOOT_URL = new URL('./tsx-boot.mjs', import.meta.url);
const WORKER_ENTRY = new URL('./camera-worker.ts', import.meta.url).href;
const STOP_TIMEOUT_MS = 15_000;
const REPLY_TIMEOUT_MS = 15_000;

export interface WorkerRunnerOptions {
  log: Logger;
  /** The box's detector threads, shared by its cameras. */
  detectors: DetectorPool;
  /** First delay before a crashed camera worker is started again; doubles up to a minute. */
  respawnDelayMs?: number;
  /** Hardware decoder arguments for network cameras (see source/hw-decode.ts). */
  decodeArgs?: string[];
}

/**
 * Runs each camera's pipeline in a worker thread of its own; cameras running the same model share its detector
 * threads (see DetectorPool). `intraOpThreads`: ONNX Runtime threads of each detector thread (default cores − 1, 1
 * to 4); `sessions`: detector threads per model (default defaultDetectorSessions()).
 */
export function workerRunnerFactory(
  o: Omit<WorkerRunnerOptions, 'detectors'> & {
    intraOpThreads?: number;
    sessions?: number;
    providers?: readonly string[];
    gpu?: GpuOptions;
  },
): CameraRunnerFactory {
  const detectors = new DetectorPool({
    log: o.log,
    ...(o.intraOpThreads ? { intraOpThreads: o.intraOpThreads } : {}),
    threadsPerModel: o.sessions ?? defaultDetectorSessions(o.providers),
    ...(o.gpu ? { gpu: o.gpu } : {}),
  });
  return (camera, model, sink) => new WorkerCameraRunner(camera, model, sink, { ...o, detectors });
}

/**
 * The main thread's handle on one camera worker. A worker that dies while running (a crash, an out-of-memory)
 * turns the camera `failed` with the reason and is started again after a backoff; the other cameras never notice.
 */
export class WorkerCameraRunner implements CameraRunner {
  readonly cameraId: string;
  private worker: Worker | undefined;
  private lease: DetectorLease | undefined;
  private lastHealth: CameraHealth;
  private lastLatency: HistogramSnapshot | undefined;
  private wanted: 'stopped' | 'running' = 'stopped';
  private respawnDelay: number;
  private respawnTimer: NodeJS.Timeout | undefined;
  private nextId = 1;
  private tid: number | undefined;
  private readonly pending = new Map<
    number,
    { resolve: (m: { jpeg?: Uint8Array }) => void; reject: (e: Error) => void }
  >();

  constructor(
    private readonly camera: CameraConfig,
    private readonly model: ResolvedModel,
    private readonly sink: CameraSink,
    private readonly o: WorkerRunnerOptions,
  ) {
    this.cameraId = camera.id;
    this.respawnDelay = o.respawnDelayMs ?? 2000;
    this.lastHealth = this.synthetic('connecting');
  }

  /**
   * Takes the camera's model from the detector pool (loading it if no other camera runs it; rejects with the
   * loader's message when it cannot load), then spawns the camera's worker connected to it.
   */
  async prepare(): Promise<void> {
    const lease = await this.o.detectors.acquire(this.model);
    this.lease = lease;
    const link = lease.link();
    const init: WorkerInit = {
      entry: WORKER_ENTRY,
      camera: this.camera,
      detector: link,
      ...(this.o.decodeArgs?.length ? { decodeArgs: this.o.decodeArgs } : {}),
    };
    const worker = new Worker(BOOT_URL, { workerData: init, transferList: [link.port], execArgv: [] });
    this.worker = worker;
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const settle = (err?: Error) => {
        if (settled) return;
        settled = true;
        if (err) reject(err);
        else resolve();
      };
      worker.on('message', (m: FromWorker) => {
        if (m.type === 'ready') {
          this.tid = m.threadId;
          settle();
        } else this.onMessage(m);
      });
      worker.on('error', (err) => {
        settle(err);
        this.onDeath(worker, lease, `camera worker crashed: ${err.message}`);
      });
      worker.on('exit', (code) => {
        settle(new Error(`camera worker exited with code ${code} before it started`));
        this.onDeath(worker, lease, `camera worker exited with code ${code}`);
      });
    });
  }

  start(): void {
    this.wanted = 'running';
    this.send({ type: 'start' });
  }

  async stop(): Promise<void> {
    this.wanted = 'stopped';
    if (this.respawnTimer) clearTimeout(this.respawnTimer);
    const worker = this.worker;
    const lease = this.lease;
    this.worker = undefined;
    this.lease = undefined;
    if (!worker) {
      await lease?.release();
      return;
    }
    const exited = new Promise<void>((r) => worker.once('exit', () => r()));
    worker.postMessage({ type: 'stop' } satisfies ToWorker);
    const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), STOP_TIMEOUT_MS).unref());
    if ((await Promise.race([exited, timeout])) === 'timeout') {
      this.o.log.warn({ camera: this.cameraId }, 'camera worker did not stop in time: terminated');
      await worker.terminate();
    }
    await lease?.release();
    this.lastHealth = { ...this.lastHealth, state: 'stopped', fps: 0 };
  }

  async restart(): Promise<void> {
    await this.request('restart');
  }

  async snapshotJpeg(): Promise<Buffer> {
    const r = await this.request('snapshot');
    if (!r.jpeg) throw new Error(`camera ${this.cameraId} returned no image`);
    return Buffer.from(r.jpeg);
  }

  health(): CameraHealth {
    return this.lastHealth;
  }

  /** The camera worker's kernel thread id (Linux), for reading its CPU time; undefined before it is ready. */
  threadId(): number | undefined {
    return this.tid;
  }

  latency(): HistogramSnapshot | undefined {
    return this.lastLatency;
  }

  private onMessage(m: FromWorker): void {
    switch (m.type) {
      case 'events':
        this.sink.onEvents(m.drafts);
        return;
      case 'occupancy':
        this.sink.onOccupancy(m.samples);
        return;
      case 'health':
        this.lastHealth = m.health;
        this.lastLatency = m.latency;
        if (m.health.state === 'live') this.respawnDelay = this.o.respawnDelayMs ?? 2000;
        return;
      case 'reply': {
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        if (m.error) p?.reject(new Error(m.error));
        else p?.resolve(m.jpeg ? { jpeg: m.jpeg } : {});
        return;
      }
      default:
        return;
    }
  }

  private onDeath(worker: Worker, lease: DetectorLease, reason: string): void {
    // The detector thread stays for the other cameras (or closes if this was the last); a restart acquires again.
    void lease.release();
    if (this.worker !== worker) return; // an old worker we already replaced or stopped
    this.worker = undefined;
    this.lease = undefined;
    for (const p of this.pending.values()) p.reject(new Error(reason));
    this.pending.clear();
    if (this.wanted !== 'running') return;
    this.lastHealth = {
      ...this.synthetic('failed'),
      reason: `${reason}; restarting in ${this.respawnDelay} ms`,
    };
    this.o.log.error({ camera: this.cameraId, reason }, 'camera worker died; restarting it');
    this.respawnTimer = setTimeout(() => {
      this.prepare()
        .then(() => this.wanted === 'running' && this.start())
        .catch((err: Error) =>
          this.o.log.error({ camera: this.cameraId, err: err.message }, 'camera worker restart failed'),
        );
    }, this.respawnDelay);
    this.respawnDelay = Math.min(60_000, this.respawnDelay * 2);
  }

  private request(type: 'restart' | 'snapshot'): Promise<{ jpeg?: Uint8Array }> {
    if (!this.worker) return Promise.reject(new Error(`camera ${this.cameraId} is not running`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`camera ${this.cameraId} did not answer ${type} in ${REPLY_TIMEOUT_MS / 1000} s`));
      }, REPLY_TIMEOUT_MS);
      this.pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.send({ type, id });
    });
  }

  private send(m: ToWorker): void {
    this.worker?.postMessage(m);
  }

  private synthetic(state: CameraHealth['state']): CameraHealth {
    return {
      cameraId: this.cameraId,
      state,
      fps: 0,
      detectorLatencyMs: { p50: 0, p95: 0 },
      framesProcessed: 0,
      framesDropped: 0,
    };
  }
}
