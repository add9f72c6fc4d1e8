import type { ClaimCode } from '@tally/proto';
import { useState } from 'react';
import { useParams } from 'react-router';
import { ForbiddenState, isForbidden } from '../../../components/forbidden-state';
import { EmptyState, ErrorState, Loading } from '../../../components/states';
import { useSession } from '../../../lib/api-context';
import { may } from '../../../lib/permissions';
import { useLiveRefresh } from '../../../lib/use-live-refresh';
import { useSite } from '../../../lib/api/get-site';
import { useCreateClaimCode } from '../api/create-claim-code';
import { useClaimCodes } from '../api/get-claim-codes';
import { useDevices } from '../api/get-devices';
import { useRevokeClaimCode } from '../api/revoke-claim-code';
import { ClaimCodeForm } from '../components/claim-code-form';
import { DeviceActions } from '../components/device-actions';
import { DeviceCard } from '../components/device-card';
import { NewClaimCode } from '../components/new-claim-code';
import { OpenClaimCodes } from '../components/open-claim-codes';

const NEW_BOX_POLL_MS = 3000;

/**
 * `/sites/:siteId/devices`: the site's boxes with their health. Installers (and managers, admins) create claim
 * codes to provision new boxes and revoke open ones; managers and admins rotate a box's credentials or revoke it.
 */
export function DevicesRoute() {
  const { siteId = '' } = useParams();
  const { user } = useSession();
  const canProvision = may(user, 'device.provision');
  const canManage = may(user, 'device.manage');
  const site = useSite(siteId);
  const [made, setMade] = useState<{ claim: ClaimCode; name: string } | null>(null);
  // A box being provisioned has not connected yet (no live message): look for it while its code is on screen.
  const devices = useDevices(siteId, made ? NEW_BOX_POLL_MS : undefined);
  const codes = useClaimCodes(siteId, canProvision);
  const create = useCreateClaimCode(siteId);
  const revokeCode = useRevokeClaimCode(siteId);
  useLiveRefresh([siteId]);
  if (site.isPending || devices.isPending) return <Loading label="Loading devices…" />;
  const failed = site.error ?? devices.error;
  if (isForbidden(failed)) return <ForbiddenState what="this site's devices" />;
  if (failed) return <ErrorState error={failed} onRetry={() => void devices.refetch()} />;
  const timezone = site.data!.timezone;
  return (
    <section className="page">
      <h1>Devices · {site.data!.name}</h1>
      {canProvision && (
        <section className="section" aria-labelledby="add-box-title">
          <h2 id="add-box-title">Add a box</h2>
          {made ? (
            <NewClaimCode
              claim={made.claim}
              name={made.name}
              cloudUrl={window.location.origin}
              onDone={() => {
                setMade(null);
                // The code may have been used meanwhile: the open list is re-read.
                void codes.refetch();
              }}
            />
          ) : (
            <ClaimCodeForm
              pending={create.isPending}
              error={create.error?.message ?? null}
              onSubmit={(r) =>
                create.mutate(
                  { name: r.name, ttlMinutes: r.ttlMinutes },
                  { onSuccess: (claim) => setMade({ claim, name: r.name }) },
                )
              }
            />
          )}
        </section>
      )}
      {canProvision && (
        <OpenClaimCodes
          query={codes}
          revoking={revokeCode.isPending ? (revokeCode.variables ?? null) : null}
          error={revokeCode.error?.message ?? null}
          onRevoke={(id) => revokeCode.mutate(id)}
        />
      )}
      <section className="section" aria-labelledby="boxes-title">
        <h2 id="boxes-title">Boxes</h2>
        {devices.data!.length === 0 ? (
          <EmptyState>No devices on this site yet.</EmptyState>
        ) : (
          <div className="card-grid wide">
            {devices.data!.map((d) => (
              <DeviceCard key={d.id} device={d} timezone={timezone}>
                {canManage && <DeviceActions device={d} timezone={timezone} />}
              </DeviceCard>
            ))}
          </div>
        )}
      </section>
    </section>
  );
}
