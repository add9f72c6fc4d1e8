import type { Role, User } from '@tally/proto';
import { MailPlus, UserPlus } from 'lucide-react';
import { useState } from 'react';
import { Forbidden } from '../../../components/forbidden';
import { EmptyState, ErrorState, Loading } from '../../../components/states';
import { useSession } from '../../../lib/api-context';
import { may } from '../../../lib/permissions';
import { useCreateUser } from '../api/create-user';
import { useDeleteUser } from '../api/delete-user';
import { useInviteOwner } from '../api/invite-owner';
import { useSites } from '../api/get-sites';
import { useUsers } from '../api/get-users';
import { useResetPassword } from '../api/reset-password';
import { useUpdateUser } from '../api/update-user';
import { ConfirmAction } from '../components/confirm-action';
import { CreateUserForm } from '../components/create-user-form';
import { EditAccessForm } from '../components/edit-access-form';
import { InviteOwnerForm } from '../components/invite-owner-form';
import { OneTimeSecret } from '../components/one-time-secret';
import { lockedReason, userLabel } from '../components/roles';
import { UsersTable, type UserAction } from '../components/users-table';

type Panel =
  | { kind: 'create' }
  | { kind: 'invite' }
  | { kind: 'edit'; user: User }
  | { kind: 'confirm'; action: Exclude<UserAction, 'edit'>; user: User }
  | { kind: 'secret'; title: string; who: string; secret: string; instructions?: string }
  | null;

/** What each confirmation says: it names the user and what happens to them. */
const CONFIRM: Record<
  Exclude<UserAction, 'edit'>,
  { question: (who: string) => string; consequence: string; label: string; danger: boolean }
> = {
  disable: {
    question: (who) => `Disable ${who}?`,
    consequence: 'They are signed out at once and cannot sign in until enabled again.',
    label: 'Disable',
    danger: true,
  },
  enable: {
    question: (who) => `Enable ${who}?`,
    consequence: 'They can sign in again with their password.',
    label: 'Enable',
    danger: false,
  },
  reset: {
    question: (who) => `Reset the password of ${who}?`,
    consequence: 'Their current password stops working and they are signed out everywhere.',
    label: 'Reset password',
    danger: true,
  },
  remove: {
    question: (who) => `Remove ${who}?`,
    consequence: 'The account is deleted; the audit log keeps what they did.',
    label: 'Remove',
    danger: true,
  },
};

/** `/users` (owners and admins): who may sign in, with which role and sites; add, change, disable, reset, remove. */
export function UsersRoute() {
  const { user: me } = useSession();
  if (!may(me, 'user.manage')) return <Forbidden what="user management" />;
  return <UsersPage self={{ id: me!.id, role: me!.role }} />;
}

function UsersPage({ self }: { self: { id: string; role: Role } }) {
  const users = useUsers();
  const sites = useSites();
  const create = useCreateUser();
  const update = useUpdateUser();
  const remove = useDeleteUser();
  const reset = useResetPassword();
  const invite = useInviteOwner();
  const [panel, setPanel] = useState<Panel>(null);
  const [failure, setFailure] = useState<string | null>(null);

  if (users.isPending || sites.isPending) return <Loading label="Loading users…" />;
  const loadError = users.error ?? sites.error;
  if (loadError)
    return (
      <ErrorState
        error={loadError}
        onRetry={() => {
          void users.refetch();
          void sites.refetch();
        }}
      />
    );
  const list = users.data!;
  const siteList = sites.data!;
  const failed = (e: Error) => setFailure(e.message);
  const done = () => {
    setPanel(null);
    setFailure(null);
  };

  const confirm = (action: Exclude<UserAction, 'edit'>, user: User) => {
    setFailure(null);
    const who = userLabel(user);
    if (action === 'disable' || action === 'enable')
      update.mutate(
        { userId: user.id, body: { disabled: action === 'disable' } },
        { onSuccess: done, onError: failed },
      );
    else if (action === 'remove') remove.mutate(user.id, { onSuccess: done, onError: failed });
    else
      reset.mutate(user.id, {
        onSuccess: (r) => {
          setFailure(null);
          setPanel({ kind: 'secret', title: `New password for ${who}`, who, secret: r.temporaryPassword });
        },
        onError: failed,
      });
  };

  return (
    <section className="page">
      <div className="section-head">
        <h1>Users</h1>
        <span className="buttons">
          {self.role === 'owner' && panel?.kind !== 'invite' && (
            <button
              type="button"
              className="button"
              onClick={() => {
                setFailure(null);
                invite.reset();
                setPanel({ kind: 'invite' });
              }}
            >
              <MailPlus size={16} aria-hidden /> Invite an owner
            </button>
          )}
          {panel?.kind !== 'create' && (
            <button
              type="button"
              className="button primary"
              onClick={() => {
                setFailure(null);
                create.reset();
                setPanel({ kind: 'create' });
              }}
            >
              <UserPlus size={16} aria-hidden /> Add user
            </button>
          )}
        </span>
      </div>
      {failure && (
        <p className="banner" role="alert" data-testid="users-error">
          {failure}
        </p>
      )}
      {panel?.kind === 'create' && (
        <CreateUserForm
          callerRole={self.role}
          sites={siteList}
          pending={create.isPending}
          error={create.error?.message ?? null}
          onCancel={done}
          onSubmit={(body) =>
            create.mutate(body, {
              onSuccess: (u) =>
                setPanel({
                  kind: 'secret',
                  title: `Created ${userLabel(u)}`,
                  who: userLabel(u),
                  secret: body.password,
                }),
            })
          }
        />
      )}
      {panel?.kind === 'invite' && (
        <InviteOwnerForm
          pending={invite.isPending}
          error={invite.error?.message ?? null}
          onCancel={done}
          onSubmit={(email) =>
            invite.mutate(email, {
              onSuccess: (inv) =>
                setPanel({
                  kind: 'secret',
                  title: `Invitation for ${inv.email}`,
                  who: inv.email,
                  secret: inv.code,
                  instructions:
                    `Give this code to ${inv.email}; it is shown only now and works once until ` +
                    `${new Date(inv.expiresAt).toLocaleString()}. They create their owner account on the cloud's ` +
                    `machine with: pnpm cloud create-owner --email ${inv.email} --password … --invitation <code>`,
                }),
            })
          }
        />
      )}
      {panel?.kind === 'edit' && (
        <EditAccessForm
          user={panel.user}
          callerRole={self.role}
          sites={siteList}
          pending={update.isPending}
          onCancel={done}
          onSave={(body) =>
            Object.keys(body).length === 0
              ? done()
              : update.mutate({ userId: panel.user.id, body }, { onSuccess: done, onError: failed })
          }
        />
      )}
      {panel?.kind === 'confirm' && (
        <ConfirmAction
          question={CONFIRM[panel.action].question(userLabel(panel.user))}
          consequence={CONFIRM[panel.action].consequence}
          confirmLabel={CONFIRM[panel.action].label}
          danger={CONFIRM[panel.action].danger}
          pending={update.isPending || remove.isPending || reset.isPending}
          onConfirm={() => confirm(panel.action, panel.user)}
          onCancel={done}
        />
      )}
      {panel?.kind === 'secret' && (
        <OneTimeSecret
          title={panel.title}
          who={panel.who}
          secret={panel.secret}
          onDone={done}
          {...(panel.instructions ? { instructions: panel.instructions } : {})}
        />
      )}
      {list.length === 0 ? (
        <EmptyState>No users yet.</EmptyState>
      ) : (
        <UsersTable
          users={list}
          sites={siteList}
          selfId={self.id}
          lockedReason={(u) => lockedReason(self, u, list)}
          onAction={(action, user) => {
            setFailure(null);
            setPanel(action === 'edit' ? { kind: 'edit', user } : { kind: 'confirm', action, user });
          }}
        />
      )}
    </section>
  );
}
