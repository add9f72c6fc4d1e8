import type { Logger } from 'pino';
import type { CameraHealth, ModelRef } from '@tally/proto';
import type { ConfigDiff } from '../config/config-diff';
import type { CameraRunner, CameraRunnerFactory, CameraSink, ResolvedModel } from './camera-runner';

export interface CameraFailure {
  cameraId: string;
  message: string;
}

export type ModelResolver = (ref: ModelRef | undefined) => Promise<ResolvedModel>;

/**
 * Owns the running cameras and applies config diffs to them in two phases, so a failure leaves the running setup
 * untouched:
 * 1. every added or changed camera gets a NEW runner that resolves (downloads, verifies) and loads its model;
 * 2. only if all of them loaded: removed cameras stop, changed cameras swap old → new, added cameras start.
 * Cameras the diff leaves unchanged are never touched.
 */
export class CameraSupervisor {
  private readonly running = new Map<string, { runner: CameraRunner; model: ResolvedModel }>();

  constructor(
    private readonly factory: CameraRunnerFactory,
    private readonly sink: CameraSink,
    private readonly resolveModel: ModelResolver,
    private readonly log: Logger,
  ) {}

  async apply(diff: ConfigDiff): Promise<{ ok: true } | { ok: false; failures: CameraFailure[] }> {
    const prepared: { id: string; runner: CameraRunner; model: ResolvedModel }[] = [];
    const failures: CameraFailure[] = [];
    for (const plan of [...diff.added, ...diff.changed]) {
      const id = plan.camera.id;
      try {
        const model = await this.resolveModel(plan.model);
        const runner = this.factory(plan.camera, model, this.sink);
        prepared.push({ id, runner, model });
        await runner.prepare();
      } catch (err) {
        failures.push({ cameraId: id, message: (err as Error).message });
      }
    }
    if (failures.length > 0) {
      await Promise.allSettled(prepared.map((p) => p.runner.stop()));
      this.log.warn({ failures }, 'config not applied: the running cameras keep their previous setup');
      return { ok: false, failures };
    }
    for (const id of diff.removed) await this.stopCamera(id);
    for (const p of prepared) {
      await this.stopCamera(p.id);
      p.runner.start();
      this.running.set(p.id, { runner: p.runner, model: p.model });
    }
    this.log.info(
      {
        added: diff.added.length,
        changed: diff.changed.length,
        removed: diff.removed.length,
        unchanged: diff.unchanged.length,
      },
      'cameras updated',
    );
    return { ok: true };
  }

  get(cameraId: string): CameraRunner | undefined {
    return this.running.get(cameraId)?.runner;
  }

  cameraIds(): string[] {
    return [...this.running.keys()];
  }

  healths(): CameraHealth[] {
    return [...this.running.values()].map((r) => r.runner.health());
  }

  /** The model ids in use, for the heartbeat's `versions.model`. */
  modelIds(): string[] {
    return [...new Set([...this.running.values()].map((r) => r.model.id))];
  }

  async stopAll(): Promise<void> {
    await Promise.allSettled([...this.running.keys()].map((id) => this.stopCamera(id)));
  }

  private async stopCamera(id: string): Promise<void> {
    const entry = this.running.get(id);
    if (!entry) return;
    this.running.delete(id);
    try {
      await entry.runner.stop();
    } catch (err) {
      this.log.warn({ err, cameraId: id }, 'camera did not stop cleanly');
    }
  }
}
