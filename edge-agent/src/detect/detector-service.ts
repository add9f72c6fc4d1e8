import { MessageChannel, Worker } from 'node:worker_threads';
import type { Logger } from '@tally/proto/log';
import type {
  DetectorLink,
  DetectorThreadInit,
  FromDetectorThread,
  ToDetectorThread,
} from './detector-protocol';
import { applyTensorrtEnvironment } from './gpu-options';
import { ModelError } from './model-path';
import type { ModelInfo, ModelSpec } from './onnx-model';
import { RemoteDetector } from './remote-detector';

/** The thread runs TypeScript like the main thread: a small .mjs entry registers tsx inside it. */
const BOOT_URL = new URL('../workers/tsx-boot.mjs', import.meta.url);
const ENTRY = new URL('./detector-thread.ts', import.meta.url).href;
const CLOSE_TIMEOUT_MS = 10_000;

/**
 * Owns one detector thread: a model loaded once and shared by every client connected to it — camera worker threads
 * in the agent (each gets a MessagePort through `link()`), or this thread (`connect()`, for `count` and the
 * benchmark). `start()` resolves when the model has loaded and rejects with the loader's message (a ModelError
 * naming the file) when it cannot.
 */
export class DetectorService {
  private exited = false;

  private constructor(
    private readonly worker: Worker,
    readonly info: ModelInfo,
    readonly spec: ModelSpec,
    /** The detector thread's kernel thread id (Linux), for reading its CPU time. */
    readonly threadId?: number,
  ) {
    // A crash or an out-of-memory: clients see their ports close; the pool replaces the thread on next acquire.
    worker.on('error', () => (this.exited = true));
    worker.on('exit', () => (this.exited = true));
  }

  static start(spec: ModelSpec, log: Logger): Promise<DetectorService> {
    // TensorRT reads its cache and precision settings from the process environment, which only this (the main)
    // thread can change for native code: set before the thread creates its session.
    if (spec.executionProviders?.includes('tensorrt')) applyTensorrtEnvironment(spec.gpu ?? {});
    const init: DetectorThreadInit = { entry: ENTRY, spec, logLevel: log.level };
    const worker = new Worker(BOOT_URL, { workerData: init, execArgv: [] });
    return new Promise((resolve, reject) => {
      const onExit = (code: number) =>
        reject(new Error(`detector thread exited with code ${code} while loading`));
      worker.once('error', reject);
      worker.once('exit', onExit);
      worker.once('message', (m: FromDetectorThread) => {
        worker.off('error', reject);
        worker.off('exit', onExit);
        if (m.type === 'ready') {
          log.debug({ model: spec.modelPath }, 'detector thread ready');
          resolve(new DetectorService(worker, m.info, spec, m.threadId));
        } else {
          void worker.terminate();
          reject(new ModelError(m.type === 'failed' ? m.message : 'detector thread closed while loading'));
        }
      });
    });
  }

  /** A new connection for another thread: transfer `port` to it and build a RemoteDetector there. */
  link(): DetectorLink {
    if (this.exited) throw new Error('detector thread is gone');
    const { port1, port2 } = new MessageChannel();
    this.worker.postMessage({ type: 'connect', port: port1 } satisfies ToDetectorThread, [port1]);
    return { port: port2, info: this.info };
  }

  /** A detector in this thread whose inference runs in the detector thread. */
  connect(): RemoteDetector {
    return new RemoteDetector(this.link());
  }

  alive(): boolean {
    return !this.exited;
  }

  /** Finishes the requests already queued, releases the model and ends the thread. */
  async close(): Promise<void> {
    if (this.exited) return;
    this.exited = true;
    await this.endThread({ type: 'close' });
  }

  /**
   * Ends the thread as a crash would, as soon as the run in progress returns: its clients see the connection close.
   * Only a model that never returns is stopped by `Worker.terminate()` (see ToDetectorThread for why not sooner).
   */
  async terminate(): Promise<void> {
    if (this.exited) return;
    await this.endThread({ type: 'abort', exitCode: 1 });
  }

  private async endThread(message: ToDetectorThread): Promise<void> {
    const gone = new Promise<'gone'>((r) => this.worker.once('exit', () => r('gone')));
    this.worker.postMessage(message);
    const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), CLOSE_TIMEOUT_MS).unref());
    if ((await Promise.race([gone, timeout])) === 'timeout') await this.worker.terminate();
  }
}
