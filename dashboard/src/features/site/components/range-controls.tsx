import { PRESETS, type Preset } from '../../../lib/time-range';
import { BREAKDOWNS, BUCKETS, KINDS, type ChartSettings } from './chart-settings';

/** Range preset (with custom dates), bucket, breakdown and kind: native selects, so keyboards and phones work. */
export function RangeControls({
  settings,
  onChange,
}: {
  settings: ChartSettings;
  onChange: (patch: Partial<ChartSettings>) => void;
}) {
  const set = onChange;
  return (
    <div className="controls" role="group" aria-label="Chart settings">
      <label>
        Range
        <select
          value={settings.preset}
          onChange={(e) => set({ preset: e.target.value as Preset, bucket: null })}
          data-testid="range-preset"
        >
          {PRESETS.map((p) => (
            <option key={p.value} value={p.value}>
              {p.label}
            </option>
          ))}
        </select>
      </label>
      {settings.preset === 'custom' && (
        <>
          <label>
            From
            <input type="date" value={settings.from} onChange={(e) => set({ from: e.target.value })} />
          </label>
          <label>
            To
            <input type="date" value={settings.to} onChange={(e) => set({ to: e.target.value })} />
          </label>
        </>
      )}
      <label>
        Bucket
        <select
          value={settings.bucket ?? ''}
          onChange={(e) => set({ bucket: (e.target.value || null) as ChartSettings['bucket'] })}
          data-testid="bucket"
        >
          <option value="">Automatic</option>
          {BUCKETS.map((b) => (
            <option key={b.value} value={b.value}>
              {b.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Count
        <select
          value={settings.kind}
          onChange={(e) => set({ kind: e.target.value as ChartSettings['kind'] })}
        >
          {KINDS.map((k) => (
            <option key={k.value} value={k.value}>
              {k.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Breakdown
        <select
          value={settings.groupBy}
          onChange={(e) => set({ groupBy: e.target.value as ChartSettings['groupBy'] })}
          data-testid="breakdown"
        >
          {BREAKDOWNS.map((b) => (
            <option key={b.value} value={b.value}>
              {b.label}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
