/** The human-readable result of `tally-edge count` (without `--json`): what was counted first, then timings. */

type RuleCounts = { in: number; out: number } | { enter: number; exit: number; current: number };

export interface CountSummaryInput {
  input: string;
  frames: number;
  framesDropped: number;
  seconds: number;
  fps: number;
  executionProvider: string;
  events: readonly unknown[];
  counts: Record<string, RuleCounts>;
  stages: Record<string, { median: number; p95: number }>;
  annotated?: string;
}

export function formatCountSummary(r: CountSummaryInput): string {
  const lines = [
    `${r.input}: ${r.frames} frames in ${r.seconds} s (${r.fps} fps on ${r.executionProvider}), ` +
      `${r.events.length} ${r.events.length === 1 ? 'event' : 'events'}` +
      (r.framesDropped ? `, ${r.framesDropped} frames dropped` : ''),
  ];
  const rules = Object.entries(r.counts);
  if (rules.length === 0) lines.push('no lines or zones given (--line, --zone): nothing was counted');
  for (const [id, c] of rules) lines.push(`  ${id}: ${describeCounts(c)}`);
  lines.push('time per frame, median / p95:');
  for (const [stage, t] of Object.entries(r.stages)) {
    lines.push(`  ${stage.padEnd(12)} ${t.median} ms / ${t.p95} ms`);
  }
  if (r.annotated) lines.push(`annotated video: ${r.annotated}`);
  return `${lines.join('\n')}\n`;
}

function describeCounts(c: RuleCounts): string {
  if ('in' in c) return `line, ${c.in} in, ${c.out} out`;
  return `zone, ${c.enter} entered, ${c.exit} left, ${c.current} inside at the end`;
}
