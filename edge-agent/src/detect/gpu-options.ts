/**
 * How the GPU execution providers are configured (pure). onnxruntime-node passes only a device id to its CUDA and
 * TensorRT providers (js/node/src/session_options_helper.cc in ONNX Runtime 1.30), so:
 * - CUDA and TensorRT get `{ name, deviceId }`;
 * - TensorRT's engine cache and FP16 are set through the environment variables its provider reads when no
 *   TensorRT options are given in code (ONNX Runtime's TensorRT EP documentation, "Environment Variables"):
 *   `ORT_TENSORRT_FP16_ENABLE`, `ORT_TENSORRT_ENGINE_CACHE_ENABLE`, `ORT_TENSORRT_CACHE_PATH`,
 *   `ORT_TENSORRT_TIMING_CACHE_ENABLE`. They must be in the process environment before the session is created; a
 *   value the operator already set wins.
 * The engine cache matters: building a TensorRT engine for a model takes minutes on a Jetson; cached, a restart
 * takes seconds. An engine is specific to the GPU, TensorRT version and precision, and TensorRT rebuilds it when any
 * changes.
 */
import type { ExecutionProvider } from './onnx-model';

export interface GpuOptions {
  /** CUDA device of the cuda and tensorrt providers (default 0). */
  deviceId?: number;
  tensorrt?: {
    /** Let TensorRT run layers in FP16 (default true: about twice the speed on tensor-core GPUs). */
    fp16?: boolean;
    /** Where built engines are kept between restarts (no cache when absent). */
    engineCacheDir?: string;
  };
}

export type ProviderConfig = 'cpu' | { name: 'cuda' | 'tensorrt'; deviceId: number };

/** The providers list for ONNX Runtime: the GPU ones asked for, in order, then CPU for what they cannot run. */
export function providerConfigs(wanted: readonly ExecutionProvider[], o: GpuOptions = {}): ProviderConfig[] {
  const gpu = wanted.filter((p): p is 'cuda' | 'tensorrt' => p !== 'cpu');
  return [...gpu.map((name) => ({ name, deviceId: o.deviceId ?? 0 })), 'cpu'];
}

/** The environment the TensorRT provider reads, for the settings given. */
export function tensorrtEnvironment(o: GpuOptions = {}): Record<string, string> {
  const t = o.tensorrt ?? {};
  const env: Record<string, string> = { ORT_TENSORRT_FP16_ENABLE: t.fp16 === false ? '0' : '1' };
  if (t.engineCacheDir) {
    env.ORT_TENSORRT_ENGINE_CACHE_ENABLE = '1';
    env.ORT_TENSORRT_CACHE_PATH = t.engineCacheDir;
    env.ORT_TENSORRT_TIMING_CACHE_ENABLE = '1';
  }
  return env;
}

/** Sets what the operator has not set already; returns the names set. Call in the main thread (see above). */
export function applyTensorrtEnvironment(o: GpuOptions, env: NodeJS.ProcessEnv = process.env): string[] {
  const set: string[] = [];
  for (const [k, v] of Object.entries(tensorrtEnvironment(o))) {
    if (env[k] !== undefined) continue;
    env[k] = v;
    set.push(k);
  }
  return set;
}
