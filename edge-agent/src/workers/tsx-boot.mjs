// Worker-thread entry: registers tsx's loader inside this thread, then runs the TypeScript worker. (`--import tsx`
// in a worker's execArgv does not reach the worker's own entry on Node 20, so the thread bootstraps itself.)
import { workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

await tsImport(workerData.entry, import.meta.url);
