/**
 * The one line an installer runs on the box (edge-agent/src/cli/commands/provision.ts): `--cloud`, `--code` and
 * `--name` are that CLI's flags. Arguments that a POSIX shell would split or expand are single-quoted.
 */
export function provisionCommand(o: { cloudUrl: string; code: string; name: string }): string {
  return [
    'pnpm edge provision',
    '--cloud',
    quote(o.cloudUrl),
    '--code',
    quote(o.code),
    '--name',
    quote(o.name),
  ].join(' ');
}

/** Safe characters pass as they are; anything else goes in single quotes ('\'' closes, escapes, reopens). */
export function quote(arg: string): string {
  if (/^[A-Za-z0-9@%+=:,./_-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** "59:58", "1:04:09": what is left before `expiresAtMs`, never negative. */
export function formatCountdown(leftMs: number): string {
  const s = Math.max(0, Math.floor(leftMs / 1000));
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = s % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return hh > 0 ? `${hh}:${two(mm)}:${two(ss)}` : `${mm}:${two(ss)}`;
}
