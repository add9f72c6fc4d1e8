import type { TestNotification } from '@tally/proto';
import type { Notification } from './delivery';

/** What "send test" delivers: plainly a test (type `test`), naming the rule, so a receiver can tell it apart. */
export function testNotification(
  rule: { id: string; name: string; siteId: string },
  now: Date = new Date(),
): Notification {
  const message = `Test notification from Tally for the alert rule "${rule.name}". No alert is firing.`;
  const body: TestNotification = {
    type: 'test',
    ruleId: rule.id,
    ruleName: rule.name,
    siteId: rule.siteId,
    message,
    sentAt: now.toISOString(),
  };
  return { subject: `[Tally] test: ${rule.name}`, text: message, body };
}
