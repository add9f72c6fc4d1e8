import type { Logger } from 'pino';
import { SCHEMA_VERSION, decodeMessage, type Command, type CommandResult } from '@tally/proto';

export interface CommandTargets {
  deviceId: string;
  snapshot(cameraId: string): Promise<string>;
  resync(fromSeq: number): void;
  restartCamera(cameraId: string): Promise<void>;
  /** Publishes on `commands/result`. */
  reply(result: CommandResult): void;
  log: Logger;
}

/**
 * Runs commands from the cloud and answers each on `commands/result`, including the malformed ones (with the
 * reason, and the command id when one can be read), so the cloud never waits on silence. A failing command never
 * throws out of here: counting goes on whatever arrives.
 */
export class CommandHandler {
  constructor(private readonly t: CommandTargets) {}

  async handle(payload: Buffer | string): Promise<CommandResult> {
    const decoded = decodeMessage('commands', payload);
    if (!decoded.ok) {
      const message = decoded.error.issues.map((i) => `${i.path || '/'}: ${i.message}`).join('; ');
      this.t.log.warn({ issues: decoded.error.issues }, 'malformed command rejected');
      return this.answer({ commandId: peekId(payload), ok: false, error: `malformed command: ${message}` });
    }
    const cmd = decoded.value;
    try {
      const extra = await this.run(cmd);
      return this.answer({ commandId: cmd.id, type: cmd.type, ok: true, ...extra });
    } catch (err) {
      this.t.log.warn({ err: (err as Error).message, command: cmd }, 'command failed');
      return this.answer({
        commandId: cmd.id,
        type: cmd.type,
        ok: false,
        error: (err as Error).message.slice(0, 2000),
      });
    }
  }

  private async run(cmd: Command): Promise<Partial<CommandResult>> {
    switch (cmd.type) {
      case 'snapshot':
        return { snapshotUrl: await this.t.snapshot(cmd.cameraId) };
      case 'resync':
        this.t.resync(cmd.fromSeq);
        return {};
      case 'restart_camera':
        await this.t.restartCamera(cmd.cameraId);
        return {};
    }
  }

  private answer(r: Omit<CommandResult, 'v' | 'deviceId' | 'ts'>): CommandResult {
    const result: CommandResult = { v: SCHEMA_VERSION, deviceId: this.t.deviceId, ts: Date.now(), ...r };
    this.t.reply(result);
    return result;
  }
}

function peekId(payload: Buffer | string): string {
  try {
    const id = (JSON.parse(String(payload)) as { id?: unknown }).id;
    if (typeof id === 'string' && id.length >= 1 && id.length <= 64) return id;
  } catch {
    // not JSON: no id to echo
  }
  return 'unknown';
}
