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

interface Replica {
  service: Promise<DetectorService>;
  users: number;
}

/** Cameras a detector thread serves alone before the pool starts another for the same model (up to `threadsPerModel`). */
const CAMERAS_BEFORE_ANOTHER_THREAD = 2;

export interface DetectorPoolOptions {
  log: Logger;
  /** ONNX Runtime intra-op threads of each detector thread (the session's default when unset). */
  intraOpThreads?: number;
  /**
   * Detector threads one model may have (default 1). Each holds its own session; a camera takes the thread with the
   * fewest cameras. Two single-threaded sessions run two cameras' frames at once, where one session's intra-op
   * threads split a small model's layers and wait for each other (docs/BENCHMARKS.md, "Cameras per box").
   */
  threadsPerModel?: number;
  gpu?: GpuOptions;
}

/**
 * Detector threads per distinct model, shared by the cameras that run that model: the model's memory (weights,
 * ONNX Runtime's arenas) is paid once per thread instead of once per camera, and inference requests from the cameras
 * take turns on a session. One or two cameras share one thread; past that, up to `threadsPerModel` threads run the
 * same model side by side and each new camera joins the one with the fewest cameras. Started on first use; a new
 * model (a config change) gets its own threads while the old ones keep serving until their cameras move. A thread
 * that died is replaced on the next acquire.
 */
export class DetectorPool {
  private readonly replicas = new Map<string, Replica[]>();

  constructor(private readonly options: DetectorPoolOptions) {}

  async acquire(model: ResolvedModel): Promise<DetectorLease> {
    const key = modelKey(model);
    const replica = await this.join(key, model);
    let service: DetectorService;
    try {
      service = await replica.service;
    } catch (err) {
      replica.users--;
      throw err;
    }
    let released = false;
    return {
      info: service.info,
      link: () => service.link(),
      release: async () => {
        if (released) return;
        released = true;
        if (--replica.users > 0) return;
        this.forget(key, replica);
        await service.close();
      },
    };
  }

  /** Ends every detector thread at once, as a crash would (cameras restart on fresh ones): a last resort. */
  async terminateAll(): Promise<void> {
    await Promise.all(this.services().map((s) => s.then((x) => x.terminate()).catch(() => undefined)));
  }

  /** Kernel thread ids of the detector threads that have loaded (Linux), for reading their CPU time. */
  async threadIds(): Promise<number[]> {
    const services = await Promise.all(this.services().map((s) => s.catch(() => undefined)));
    return services.flatMap((s) => (s?.threadId ? [s.threadId] : []));
  }

  /** Cameras on each detector thread, per model, in the order the threads started. */
  camerasPerThread(): number[][] {
    return [...this.replicas.values()].map((rs) => rs.map((r) => r.users));
  }

  /** Detector threads running now. */
  size(): number {
    return this.services().length;
  }

  /**
   * Counts a new camera of `key` in: the live thread with the fewest cameras, or a new thread while every one has
   * CAMERAS_BEFORE_ANOTHER_THREAD and the limit allows. Decided and counted in one synchronous stretch, so cameras
   * acquiring at once spread over the threads.
   */
  private async join(key: string, model: ResolvedModel): Promise<Replica> {
    const replicas = this.replicas.get(key) ?? [];
    for (const r of [...replicas]) {
      if (!(await r.service.then((s) => s.alive()).catch(() => false))) this.forget(key, r);
    }
    const live = this.replicas.get(key) ?? [];
    const least = live.reduce<Replica | undefined>((a, r) => (!a || r.users < a.users ? r : a), undefined);
    const limit = Math.max(1, this.options.threadsPerModel ?? 1);
    if (least && (least.users < CAMERAS_BEFORE_ANOTHER_THREAD || live.length >= limit)) {
      least.users++;
      return least;
    }
    const replica: Replica = { service: this.start(model), users: 1 };
    this.replicas.set(key, [...live, replica]);
    // A model that failed to load is not remembered: the next acquire tries again (the file may have arrived).
    replica.service.catch(() => this.forget(key, replica));
    return replica;
  }

  private forget(key: string, replica: Replica): void {
    const rest = (this.replicas.get(key) ?? []).filter((r) => r !== replica);
    if (rest.length) this.replicas.set(key, rest);
    else this.replicas.delete(key);
  }

  private services(): Promise<DetectorService>[] {
    return [...this.replicas.values()].flat().map((r) => r.service);
  }

  private start(model: ResolvedModel): Promise<DetectorService> {
    const { intraOpThreads, gpu, log } = this.options;
    return DetectorService.start(
      {
        modelPath: model.path,
        layout: model.layout,
        ...(model.classNames ? { classNames: model.classNames } : {}),
        ...(model.executionProviders
          ? { executionProviders: model.executionProviders as ExecutionProvider[] }
          : {}),
        ...(intraOpThreads ? { intraOpThreads } : {}),
        ...(gpu ? { gpu } : {}),
      },
      log,
    );
  }
}

function modelKey(m: ResolvedModel): string {
  return JSON.stringify([m.path, m.layout, m.classNames ?? null, m.executionProviders ?? null]);
}
