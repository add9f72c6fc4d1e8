/**
 * The detector thread (entry point; see DetectorService): one ONNX Runtime session that every connected client
 * shares. Each camera's thread letterboxes its frames and sends them here over its own MessagePort, and decodes the
 * output it gets back: this thread only runs the model, one request at a time in arrival order — on a CPU box one session with all the
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
import { currentThreadId } from '../health/thread-cpu';
import { OnnxModel } from './onnx-model';

const owner = parentPort!;
const init = workerData as DetectorThreadInit;
const log = createLogger('detector', init.logLevel);
const tell = (m: FromDetectorThread) => owner.postMessage(m);

async function main(): Promise<void> {
  let model: OnnxModel;
  try {
    model = await OnnxModel.load(init.spec, log);
  } catch (err) {
    tell({ type: 'failed', message: (err as Error).message });
    return;
  }
  const clients = new Set<MessagePort>();
  // ONNX Runtime's run() holds this thread anyway; the chain keeps the order explicit and the close() clean.
  let queue: Promise<void> = Promise.resolve();

  const serve = (port: MessagePort, req: DetectorRequest): Promise<void> =>
    handle(model, req, clients.size).then(
      ({ reply, transfer }) => port.postMessage(reply, transfer),
      (err: Error) => {
        const back = req.type === 'run' ? { slot: req.slot, input: req.input } : {};
        const reply: DetectorReply = { type: 'error', id: req.id, ...back, message: err.message };
        port.postMessage(reply, back.input ? [back.input] : []);
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
    // This handler only runs while no inference is in progress (run() holds the thread), so exiting here is safe.
    if (m.type === 'abort') process.exit(m.exitCode);
    void queue.then(async () => {
      for (const port of clients) port.close();
      await model.close();
      tell({ type: 'closed' });
      owner.close();
    });
  });
  const threadId = currentThreadId();
  tell({ type: 'ready', info: model.info, ...(threadId ? { threadId } : {}) });
}

async function handle(
  model: OnnxModel,
  req: DetectorRequest,
  clients: number,
): Promise<{ reply: DetectorReply; transfer: ArrayBuffer[] }> {
  if (req.type === 'infer-only') {
    const input = model.newInput();
    const t0 = performance.now();
    for (let i = 0; i < req.runs; i++) await model.run(input);
    return {
      reply: { type: 'infer-only', id: req.id, seconds: (performance.now() - t0) / 1000 },
      transfer: [],
    };
  }
  const t0 = performance.now();
  const output = (await model.run(new Float32Array(req.input))).buffer as ArrayBuffer;
  const inferenceMs = performance.now() - t0;
  return {
    reply: { type: 'output', id: req.id, slot: req.slot, input: req.input, output, inferenceMs, clients },
    transfer: [req.input, output],
  };
}

void main();
