import type { Site } from '@tally/proto';

/** The sites a scoped role covers, as checkboxes (an empty choice means every site for a viewer, none otherwise). */
export function SitePicker({
  sites,
  value,
  onChange,
  emptyMeans,
}: {
  sites: Site[];
  value: string[];
  onChange: (ids: string[]) => void;
  emptyMeans: string;
}) {
  const toggle = (id: string, on: boolean) => onChange(on ? [...value, id] : value.filter((v) => v !== id));
  return (
    <fieldset className="site-picker">
      <legend>Sites</legend>
      {sites.length === 0 && <p className="muted">No sites yet.</p>}
      {sites.map((s) => (
        <label key={s.id} className="check">
          <input
            type="checkbox"
            checked={value.includes(s.id)}
            onChange={(e) => toggle(s.id, e.currentTarget.checked)}
          />
          {s.name}
        </label>
      ))}
      {value.length === 0 && <p className="muted">None chosen: {emptyMeans}.</p>}
    </fieldset>
  );
}
