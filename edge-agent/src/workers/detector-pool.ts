import type { Logger } from 'pino';
import { DetectorService } from '../detect/detector-service';
import type { DetectorLink } from '../detect/detector-protocol';
import type { GpuOptions } from '../detect/gpu-options';
import type { ExecutionProvider, ModelInfo } from '../detect/onnx-model';
import type { ResolvedModel } from './camera-runner';

/** A camera's hold on a shared detector thread. */
export interface DetectorLease {
  info: ModelInfo;
  /** A new connection to hand to the camera's thread. */
  link(): DetectorLink;
  /** The camera no longer needs it; the thread closes when its last camera releases it. Idempotent. */
  release(): Promise<void>;
}

interface Entry {
  service: Promise<DetectorService>;
  users: number;
}

/**
 * One detector thread per distinct model, shared by every camera that runs that model: the model's memory (weights,
 * ONNX Runtime's arenas) is paid once per box instead of once per camera, and inference requests from all cameras
 * take turns on one session that has all the cores, instead of several sessions fighting over them. Started on first
 * use; a new model (a config change) gets its own thread while the old one keeps serving until its cameras move.
 * A thread that died is replaced on the next acquire.
 */
export class DetectorPool {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly o: { log: Logger; intraOpThreads?: number; gpu?: GpuOptions }) {}

  async acquire(model: ResolvedModel): Promise<DetectorLease> {
    const key = modelKey(model);
    let entry = this.entries.get(key);
    if (entry && !(await entry.service.then((s) => s.alive()).catch(() => false))) {
      if (this.entries.get(key) === entry) this.entries.delete(key);
      entry = undefined;
    }
    if (!entry) {
      entry = { service: this.start(model), users: 0 };
      this.entries.set(key, entry);
      // A model that failed to load is not remembered: the next acquire tries again (the file may have arrived).
      entry.service.catch(() => this.entries.get(key) === entry && this.entries.delete(key));
    }
    entry.users++;
    let service: DetectorService;
    try {
      service = await entry.service;
    } catch (err) {
      entry.users--;
      throw err;
    }
    let released = false;
    const e = entry;
    return {
      info: service.info,
      link: () => service.link(),
      release: async () => {
        if (released) return;
        released = true;
        if (--e.users > 0) return;
        if (this.entries.get(key) === e) this.entries.delete(key);
        await service.close();
      },
    };
  }

  /** Ends every detector thread at once, as a crash would (cameras restart on fresh ones): a last resort. */
  async terminateAll(): Promise<void> {
    const services = [...this.entries.values()].map((e) => e.service);
    await Promise.all(services.map((s) => s.then((x) => x.terminate()).catch(() => undefined)));
  }

  /** Kernel thread ids of the detector threads that have loaded (Linux), for reading their CPU time. */
  async threadIds(): Promise<number[]> {
    const services = await Promise.all(
      [...this.entries.values()].map((e) => e.service.catch(() => undefined)),
    );
    return services.flatMap((s) => (s?.threadId ? [s.threadId] : []));
  }

  /** Detector threads running now (one per model in use). */
  size(): number {
    return this.entries.size;
  }

  private start(model: ResolvedModel): Promise<DetectorService> {
    return DetectorService.start(
      {
        modelPath: model.path,
        layout: model.layout,
        ...(model.classNames ? { classNames: model.classNames } : {}),
        ...(model.executionProviders
          ? { executionProviders: model.executionProviders as ExecutionProvider[] }
          : {}),
        ...(this.o.intraOpThreads ? { intraOpThreads: this.o.intraOpThreads } : {}),
        ...(this.o.gpu ? { gpu: this.o.gpu } : {}),
      },
      this.o.log,
    );
  }
}

function modelKey(m: ResolvedModel): string {
  return JSON.stringify([m.path, m.layout, m.classNames ?? null, m.executionProviders ?? null]);
}
