/**
 * A camera's pipeline in its own worker thread (entry point; see WorkerCameraRunner). The detector and the
 * pipeline live here, so a camera whose decoder hangs, whose model is slow or whose code throws cannot stall the
 * main thread (the store and the sync) or the other cameras.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createLogger } from '@tally/proto/log';
import { createOnnxDetector, type ExecutionProvider } from '../detect/onnx-detector';
import { LatencyHistogram } from '../health/latency-histogram';
import { CameraPipeline } from '../pipeline/camera-pipeline';
import type { FromWorker, ToWorker, WorkerInit } from './worker-protocol';

const port = parentPort!;
const init = workerData as WorkerInit;
const log = createLogger(`camera:${init.camera.id}`);
const latency = new LatencyHistogram();
const post = (m: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

async function main(): Promise<void> {
  let detector: Awaited<ReturnType<typeof createOnnxDetector>>;
  try {
    detector = await createOnnxDetector({
      modelPath: init.model.path,
      layout: init.model.layout,
      ...(init.model.executionProviders
        ? { executionProviders: init.model.executionProviders as ExecutionProvider[] }
        : {}),
      ...(init.model.classNames ? { classNames: init.model.classNames } : {}),
      intraOpThreads: init.intraOpThreads,
      log,
    });
  } catch (err) {
    post({ type: 'failed', message: (err as Error).message });
    return;
  }
  // Time every inference for the health histogram (the pipeline itself keeps only recent quantiles).
  const detect = detector.detect.bind(detector);
  detector.detect = async (frame, opts) => {
    const r = await detect(frame, opts);
    const t = detector.lastTimings();
    latency.observe(t.preprocess + t.inference + t.postprocess);
    return r;
  };
  const pipeline = new CameraPipeline(init.camera, {
    detector,
    log,
    onEvents: (drafts) => post({ type: 'events', drafts }),
    onOccupancy: (samples) => post({ type: 'occupancy', samples }),
  });
  let healthTimer: NodeJS.Timeout | undefined;
  const sendHealth = () => post({ type: 'health', health: pipeline.health(), latency: latency.snapshot() });
  port.on('message', (m: ToWorker) => {
    void (async () => {
      switch (m.type) {
        case 'start':
          pipeline.start();
          healthTimer = setInterval(sendHealth, 1000);
          sendHealth();
          return;
        case 'restart':
          try {
            await pipeline.restart();
            post({ type: 'reply', id: m.id });
          } catch (err) {
            post({ type: 'reply', id: m.id, error: (err as Error).message });
          }
          return;
        case 'snapshot':
          try {
            const jpeg = new Uint8Array(await pipeline.snapshotJpeg());
            post({ type: 'reply', id: m.id, jpeg });
          } catch (err) {
            post({ type: 'reply', id: m.id, error: (err as Error).message });
          }
          return;
        case 'stop':
          if (healthTimer) clearInterval(healthTimer);
          await pipeline.stop().catch((err: Error) => log.warn({ err: err.message }, 'pipeline stop failed'));
          sendHealth();
          await detector.close().catch(() => undefined);
          post({ type: 'stopped' });
          port.close();
          return;
      }
    })();
  });
  post({ type: 'ready', executionProvider: detector.executionProvider });
}

void main();
