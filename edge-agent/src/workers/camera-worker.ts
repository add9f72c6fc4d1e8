/**
 * A camera's pipeline in its own worker thread (entry point; see WorkerCameraRunner). Decoding, tracking and
 * counting live here, so a camera whose decoder hangs or whose code throws cannot stall the main thread (the store
 * and the sync) or the other cameras; inference goes to the box's shared detector thread over the port it was given.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createLogger } from '@tally/proto/log';
import { RemoteDetector } from '../detect/remote-detector';
import { LatencyHistogram } from '../health/latency-histogram';
import { currentThreadId } from '../health/thread-cpu';
import { CameraPipeline } from '../pipeline/camera-pipeline';
import type { FromWorker, ToWorker, WorkerInit } from './worker-protocol';

const port = parentPort!;
const init = workerData as WorkerInit;
const log = createLogger(`camera:${init.camera.id}`);
const latency = new LatencyHistogram();
const post = (m: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

function main(): void {
  const detector = new RemoteDetector(init.detector);
  let stopping = false;
  const pipeline = new CameraPipeline(init.camera, {
    detector,
    log,
    onEvents: (drafts) => post({ type: 'events', drafts }),
    onOccupancy: (samples) => post({ type: 'occupancy', samples }),
    // Every inference goes into the health histogram (the pipeline itself keeps only recent quantiles).
    onDetected: (t) => latency.observe(t.preprocess + t.inference + t.postprocess),
    ...(init.decodeArgs?.length ? { decodeArgs: init.decodeArgs } : {}),
  });
  // The detector thread died (a crash, an out-of-memory): end this worker, and the runner starts the camera again
  // with a fresh detector after its backoff — rather than skipping every frame with the same error.
  detector.onceLost((reason) => {
    if (stopping) return;
    log.error({ camera: init.camera.id, reason }, 'detector lost: restarting the camera');
    process.exit(3);
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
          stopping = true;
          if (healthTimer) clearInterval(healthTimer);
          await pipeline.stop().catch((err: Error) => log.warn({ err: err.message }, 'pipeline stop failed'));
          sendHealth();
          await detector.close();
          post({ type: 'stopped' });
          port.close();
          return;
      }
    })();
  });
  const threadId = currentThreadId();
  post({ type: 'ready', executionProvider: detector.executionProvider, ...(threadId ? { threadId } : {}) });
}

main();
