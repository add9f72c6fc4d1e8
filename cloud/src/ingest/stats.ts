/** Counters for /metrics and tests. Rejections are keyed by reason so a dashboard can tell a bad device from a bug. */
export interface IngestStats {
  messages: number;
  eventsReceived: number;
  eventsInserted: number;
  eventsDuplicate: number;
  rejected: Record<RejectReason, number>;
  writeErrors: number;
  /** Events or messages that failed even alone and were stored in `ingest_quarantine` instead. */
  quarantined: number;
  /** Milliseconds from a batch's sentAt to its rows being stored, last flush (a lag gauge). */
  lastLagMs: number;
}

export type RejectReason = 'bad_topic' | 'invalid' | 'unknown_device' | 'failed';

export function emptyStats(): IngestStats {
  return {
    messages: 0,
    eventsReceived: 0,
    eventsInserted: 0,
    eventsDuplicate: 0,
    rejected: { bad_topic: 0, invalid: 0, unknown_device: 0, failed: 0 },
    writeErrors: 0,
    quarantined: 0,
    lastLagMs: 0,
  };
}
