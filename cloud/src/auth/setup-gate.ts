import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The one-time setup token of a fresh cloud: issued at start while no account exists, good for creating the first
 * owner once. Only its hash is kept. One gate per database (the stage issues, the route redeems).
 */
export class SetupGate {
  private hash: Buffer | undefined;
  private busy = false;

  /** A new token (the previous one stops working). */
  issue(): string {
    const token = randomBytes(24).toString('base64url');
    this.hash = sha256(token);
    return token;
  }

  get open(): boolean {
    return this.hash !== undefined;
  }

  /**
   * Runs `create` if `token` is the current token and no other setup is running; the token is spent only when
   * `create` succeeds, so a refused email or password does not burn it. 'invalid' or 'busy' otherwise.
   */
  async redeem<T>(token: string, create: () => Promise<T>): Promise<T | 'invalid' | 'busy'> {
    const hash = this.hash;
    const got = sha256(token);
    if (!hash || !timingSafeEqual(hash, got)) return 'invalid';
    if (this.busy) return 'busy';
    this.busy = true;
    try {
      const result = await create();
      this.hash = undefined;
      return result;
    } finally {
      this.busy = false;
    }
  }

  close(): void {
    this.hash = undefined;
  }
}

const gates = new WeakMap<object, SetupGate>();

/** The gate of a database (the same object the server's stages and the HTTP app hold). */
export function setupGateFor(database: object): SetupGate {
  let gate = gates.get(database);
  if (!gate) gates.set(database, (gate = new SetupGate()));
  return gate;
}

function sha256(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}
