/**
 * The detector thread (entry point; see DetectorService): one ONNX Runtime session that every connected client
 * shares. Each camera's thread letterboxes its frames and sends them here over its own MessagePort; inference and
 * the output decoding run here, one request at a time in arrival order — on a CPU box one session with all the
 * cores beats one session per camera fighting over them, and the model's memory is paid once.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { createLogger } from '@tally/proto/log';
import type {
  DetectorReply,
  DetectorRequest,
  DetectorThreadInit,
  FromDetectorThread,
  ToDetectorThread,
} from './detector-protocol';
import { LetterboxWriter } from './letterbox-writer';
import { OnnxModel } from './onnx-model';

const owner = parentPort!;
const init = workerData as DetectorThreadInit;
const log = createLogger('detector');
const tell = (m: FromDetectorThread) => owner.postMessage(m);

async function main(): Promise<void> {
  let model: OnnxModel;
  try {
    model = await OnnxModel.load(init.spec, log);
  } catch (err) {
    tell({ type: 'failed', message: (err as Error).message });
    return;
  }
  // Plans map boxes back to frame pixels; the thread keeps its own (cheap to build, one per frame size).
  const plans = new LetterboxWriter(model.info);
  const clients = new Set<MessagePort>();
  // ONNX Runtime's run() holds this thread anyway; the chain keeps the order explicit and the close() clean.
  let queue: Promise<void> = Promise.resolve();

  const serve = (port: MessagePort, req: DetectorRequest): Promise<void> =>
    handle(model, plans, req).then(
      ({ reply, transfer }) => port.postMessage(reply, transfer),
      (err: Error) => {
        const back = req.type === 'detect' ? { slot: req.slot, buffer: req.buffer } : {};
        const reply: DetectorReply = { type: 'error', id: req.id, ...back, message: err.message };
        port.postMessage(reply, back.buffer ? [back.buffer] : []);
      },
    );

  owner.on('message', (m: ToDetectorThread) => {
    if (m.type === 'connect') {
      clients.add(m.port);
      m.port.on('message', (req: DetectorRequest) => {
        queue = queue.then(() => serve(m.port, req));
      });
      m.port.on('close', () => clients.delete(m.port));
      return;
    }
    void queue.then(async () => {
      for (const port of clients) port.close();
      await model.close();
      tell({ type: 'closed' });
      owner.close();
    });
  });
  tell({ type: 'ready', info: model.info });
}

async function handle(
  model: OnnxModel,
  plans: LetterboxWriter,
  req: DetectorRequest,
): Promise<{ reply: DetectorReply; transfer: ArrayBuffer[] }> {
  if (req.type === 'infer-only') {
    const input = model.newInput();
    const t0 = performance.now();
    for (let i = 0; i < req.runs; i++) await model.inferOnly(input);
    return {
      reply: { type: 'infer-only', id: req.id, seconds: (performance.now() - t0) / 1000 },
      transfer: [],
    };
  }
  const input = new Float32Array(req.buffer);
  const r = await model.infer(input, {
    plan: plans.planFor(req.frameWidth, req.frameHeight),
    scoreThreshold: req.scoreThreshold,
    classMask: req.classMask,
  });
  return {
    reply: {
      type: 'detections',
      id: req.id,
      slot: req.slot,
      buffer: req.buffer,
      detections: r.detections,
      inferenceMs: r.inferenceMs,
      postprocessMs: r.postprocessMs,
    },
    transfer: [req.buffer],
  };
}

void main();
