import type { LiveMessage } from '@tally/proto';

/**
 * Stand-in for the browser's WebSocket in component tests (happy-dom has no cloud to talk to): records what the
 * page sends and lets the test push the cloud's messages or drop the connection.
 */
export class FakeSocket {
  static instances: FakeSocket[] = [];
  readyState = 0;
  sent: string[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((e: { data: string }) => void) | null = null;
  onclose: ((e: { code: number }) => void) | null = null;

  constructor(readonly url: string) {
    FakeSocket.instances.push(this);
    queueMicrotask(() => {
      this.readyState = 1;
      this.onopen?.();
    });
  }

  send(data: string): void {
    this.sent.push(data);
  }

  close(): void {
    this.readyState = 3;
  }

  /** The cloud sends a message. */
  push(message: LiveMessage): void {
    this.onmessage?.({ data: JSON.stringify(message) });
  }

  /** The connection drops (or the cloud closes it with `code`). */
  drop(code = 1006): void {
    this.readyState = 3;
    this.onclose?.({ code });
  }

  static latest(): FakeSocket {
    const s = FakeSocket.instances.at(-1);
    if (!s) throw new Error('no socket opened');
    return s;
  }
}
