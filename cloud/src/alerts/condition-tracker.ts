/**
 * Debounces alert conditions, per rule and subject (a zone, a device, a camera, or '' for the whole site). Pure.
 *
 * A condition fires once it has held for `forMs` (measured from `since`, when the data says it began, e.g. the
 * device's offline status time; otherwise from the first evaluation that saw it), and resolves at the first
 * evaluation where it no longer holds. A subject missing from the observations no longer holds.
 */
export interface Observation {
  holds: boolean;
  /** When the condition began according to the data, ms. */
  since?: number;
  /** Human summary of the current value, for the alert message. */
  detail: string;
}

export interface SubjectState {
  since: number;
  firing: boolean;
  alertId?: string;
}

export interface Transition {
  subject: string;
  to: 'firing' | 'resolved';
  since: number;
  detail: string;
  alertId?: string;
}

export function track(
  state: Map<string, SubjectState>,
  observations: ReadonlyMap<string, Observation>,
  now: number,
  forMs: number,
): Transition[] {
  const transitions: Transition[] = [];
  for (const [subject, obs] of observations) {
    if (!obs.holds) continue;
    let s = state.get(subject);
    if (!s) {
      s = { since: Math.min(obs.since ?? now, now), firing: false };
      state.set(subject, s);
    }
    if (!s.firing && now - s.since >= forMs) {
      s.firing = true;
      transitions.push({ subject, to: 'firing', since: s.since, detail: obs.detail });
    }
  }
  for (const [subject, s] of state) {
    if (observations.get(subject)?.holds) continue;
    state.delete(subject);
    if (s.firing) {
      transitions.push({
        subject,
        to: 'resolved',
        since: s.since,
        detail: observations.get(subject)?.detail ?? 'no longer observed',
        ...(s.alertId ? { alertId: s.alertId } : {}),
      });
    }
  }
  return transitions;
}
