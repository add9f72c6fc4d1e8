import type { AlertRule, AlertRuleTestResult } from '@tally/proto';
import { Plus } from 'lucide-react';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { EmptyState, ErrorState, Loading } from '../../../components/states';
import { ApiError } from '../../../lib/api-client';
import { useSession } from '../../../lib/api-context';
import { useSite } from '../../../lib/api/get-site';
import { may } from '../../../lib/permissions';
import { useCountingRules } from '../api/get-counting-rules';
import { useAlertRules } from '../api/get-alert-rules';
import { useDeleteAlertRule } from '../api/delete-alert-rule';
import { useRotateSecret } from '../api/rotate-secret';
import { useCreateAlertRule, useUpdateAlertRule } from '../api/save-alert-rule';
import { useTestAlertRule } from '../api/test-alert-rule';
import { ForbiddenState } from '../components/forbidden-state';
import { RuleCard } from '../components/rule-card';
import { RuleForm } from '../components/rule-form';
import { fromRule, toBody, toPatch } from '../components/rule-fields';
import { SecretNotice } from '../components/secret-notice';
import '../components/alert-rules.css';

type Tested = Record<string, { result?: AlertRuleTestResult; error?: Error | null }>;

/**
 * `/sites/:siteId/alert-rules`: the site's alert rules. Site managers and admins create, edit, enable/disable,
 * test and delete them; other roles read them (the cloud shows them webhook URLs only by origin).
 */
export function AlertRulesRoute() {
  const { siteId = '' } = useParams();
  const site = useSite(siteId);
  const rules = useAlertRules(siteId);
  const countingRules = useCountingRules(siteId);
  const { user } = useSession();
  const canManage = may(user, 'alert.manage');
  const create = useCreateAlertRule(siteId);
  const update = useUpdateAlertRule(siteId);
  const remove = useDeleteAlertRule(siteId);
  const rotate = useRotateSecret(siteId);
  const test = useTestAlertRule(siteId);
  const [editing, setEditing] = useState<'new' | string | null>(null);
  const [secret, setSecret] = useState<{ ruleName: string; secret: string } | null>(null);
  const [tested, setTested] = useState<Tested>({});

  if (site.isPending || rules.isPending) return <Loading label="Loading alert rules…" />;
  const failed = site.error ?? rules.error;
  if (failed instanceof ApiError && failed.status === 403) return <ForbiddenState message={failed.message} />;
  if (failed) return <ErrorState error={failed} onRetry={() => void rules.refetch()} />;

  const labels = new Map(countingRules.map((r) => [r.key, r.label]));
  const labelOf = (key: string) => labels.get(key) ?? key;
  const list = rules.data!;
  const mutationError = update.error ?? remove.error ?? rotate.error;
  const startEdit = (id: 'new' | string) => {
    create.reset();
    update.reset();
    setEditing(id);
  };
  const form = (rule?: AlertRule) => (
    <RuleForm
      key={rule?.id ?? 'new'}
      initial={rule ? fromRule(rule) : undefined}
      countingRules={countingRules}
      submitLabel={rule ? 'Save rule' : 'Create rule'}
      pending={rule ? update.isPending : create.isPending}
      error={rule ? update.error : create.error}
      onCancel={() => setEditing(null)}
      onSubmit={(fields) =>
        rule
          ? update.mutate(
              { ruleId: rule.id, patch: toPatch(fields) },
              {
                onSuccess: (saved) => {
                  setEditing(null);
                  if (saved.webhookSecret) setSecret({ ruleName: saved.name, secret: saved.webhookSecret });
                },
              },
            )
          : create.mutate(toBody(fields), {
              onSuccess: (made) => {
                setEditing(null);
                if (made.webhookUrl) setSecret({ ruleName: made.name, secret: made.webhookSecret });
              },
            })
      }
    />
  );
  const sendTest = (ruleId: string) => {
    setTested((t) => ({ ...t, [ruleId]: {} }));
    test.mutate(ruleId, {
      onSuccess: (result) => setTested((t) => ({ ...t, [ruleId]: { result } })),
      onError: (error) => setTested((t) => ({ ...t, [ruleId]: { error } })),
    });
  };

  return (
    <section className="page alert-rules">
      <div className="page-head">
        <h1>Alert rules · {site.data!.name}</h1>
        {canManage && editing !== 'new' && (
          <button type="button" className="button primary" onClick={() => startEdit('new')}>
            <Plus size={16} aria-hidden /> New rule
          </button>
        )}
      </div>
      <p className="muted">
        Rules raise <Link to={`/sites/${siteId}/alerts`}>alerts</Link> and notify a webhook (signed) or an
        email.
        {!canManage && ' Site managers and admins change them; you can read them.'}
      </p>
      {secret && <SecretNotice {...secret} onDone={() => setSecret(null)} />}
      {mutationError && <ErrorState error={mutationError} />}
      {editing === 'new' && (
        <section className="card" aria-labelledby="new-rule-heading">
          <h2 id="new-rule-heading">New rule</h2>
          {form()}
        </section>
      )}
      {list.length === 0 ? (
        <EmptyState>
          No alert rules on this site yet.
          {canManage ? ' Create one to be told when something needs attention.' : ''}
        </EmptyState>
      ) : (
        <div className="card-grid wide" data-testid="alert-rules">
          {list.map((rule) =>
            editing === rule.id ? (
              <section key={rule.id} className="card" aria-label={`Edit ${rule.name}`}>
                <h2>Edit “{rule.name}”</h2>
                {form(rule)}
              </section>
            ) : (
              <RuleCard
                key={rule.id}
                rule={rule}
                timezone={site.data!.timezone}
                canManage={canManage}
                labelOf={labelOf}
                busy={update.isPending || remove.isPending || rotate.isPending}
                test={{
                  pending: test.isPending && test.variables === rule.id,
                  ...tested[rule.id],
                }}
                actions={{
                  onToggle: (enabled) => update.mutate({ ruleId: rule.id, patch: { enabled } }),
                  onEdit: () => startEdit(rule.id),
                  onDelete: () => remove.mutate(rule.id),
                  onTest: () => sendTest(rule.id),
                  onRotate: () =>
                    rotate.mutate(rule.id, {
                      onSuccess: (r) => setSecret({ ruleName: r.name, secret: r.webhookSecret }),
                    }),
                }}
              />
            ),
          )}
        </div>
      )}
    </section>
  );
}
