/**
 * The command-line conventions both CLIs share (`pnpm edge`, `pnpm cloud`): how errors are printed and which exit
 * code means what. 0: done; 1: a bug (stack printed); 2: the user's input was wrong (one line and a hint).
 * Commander stays the parser; its error is recognised by name so proto needs commander only for types.
 */
import type { Command } from 'commander';

/**
 * An error the user can act on: printed as one line plus a hint, without a stack trace. Anything else that reaches
 * the top of the CLI is a bug and is printed with its stack.
 */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * Runs a commander program and turns failures into an exit code: UsageErrors print one line and a hint, commander's
 * own errors (unknown option, missing argument) have already printed theirs and exit 2, anything else prints its
 * stack.
 */
export async function runProgram(program: Command, argv: string[]): Promise<number> {
  // Subcommands copy these settings only when created, and they were created before this call: set them on each.
  for (const command of [program, ...allSubcommands(program)]) {
    command.exitOverride();
    command.showHelpAfterError('(add --help for usage)');
  }
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (err) {
    // Commander has printed its message (unknown option or command, missing argument); help and --version exit 0.
    // Every other commander error is the user's input, so it exits 2 like a UsageError.
    if (isCommanderError(err)) return err.exitCode === 0 ? 0 : 2;
    if (err instanceof UsageError) {
      process.stderr.write(`error: ${err.message}\n`);
      if (err.hint) process.stderr.write(`hint: ${err.hint}\n`);
      return 2;
    }
    process.stderr.write(`unexpected error: ${(err as Error).stack ?? String(err)}\n`);
    return 1;
  }
}

/**
 * Runs a script's `main` (benchmarks, tools that parse their own options) with the same exit convention: a
 * UsageError prints one line (and its hint) and exits 2; anything else prints its stack and exits 1.
 */
export function runMain(main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    if (err instanceof UsageError) {
      process.stderr.write(`error: ${err.message}\n`);
      if (err.hint) process.stderr.write(`hint: ${err.hint}\n`);
      process.exit(2);
    }
    process.stderr.write(`unexpected error: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  });
}

function allSubcommands(command: Command): Command[] {
  return command.commands.flatMap((c) => [c, ...allSubcommands(c)]);
}

function isCommanderError(err: unknown): err is { exitCode: number } {
  return typeof err === 'object' && err !== null && (err as { name?: string }).name === 'CommanderError';
}

/**
 * Runs a program in-process with stdout and stderr captured instead of printed: for tests of a CLI's output and
 * exit code without spawning a process.
 */
export async function runCaptured(
  program: Command,
  argv: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const write = { out: process.stdout.write, err: process.stderr.write };
  process.stdout.write = ((s: string | Uint8Array) => (
    out.push(String(s)),
    true
  )) as typeof process.stdout.write;
  process.stderr.write = ((s: string | Uint8Array) => (
    err.push(String(s)),
    true
  )) as typeof process.stderr.write;
  try {
    const code = await runProgram(program, argv);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    process.stdout.write = write.out;
    process.stderr.write = write.err;
  }
}
