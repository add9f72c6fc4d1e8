/**
 * A tiny line of values (no axes), drawn as SVG so the overview page needs no chart library. The label says what
 * it shows for screen readers.
 */
export function Sparkline({ values, label }: { values: number[]; label: string }) {
  const w = 120;
  const h = 32;
  const max = Math.max(1, ...values);
  const step = values.length > 1 ? w / (values.length - 1) : 0;
  const points = values.map((v, i) => `${(i * step).toFixed(1)},${(h - 2 - (v / max) * (h - 4)).toFixed(1)}`);
  return (
    <svg className="sparkline" viewBox={`0 0 ${w} ${h}`} width={w} height={h} role="img" aria-label={label}>
      {values.length > 1 && (
        <polyline points={points.join(' ')} fill="none" stroke="currentColor" strokeWidth={2} />
      )}
    </svg>
  );
}
