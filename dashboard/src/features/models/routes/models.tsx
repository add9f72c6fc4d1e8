import { ForbiddenState, isForbidden } from '../../../components/forbidden-state';
import { ErrorState, Loading } from '../../../components/states';
import { useSession } from '../../../lib/api-context';
import { may } from '../../../lib/permissions';
import { useAssignModel } from '../api/assign-model';
import { useDeleteModel } from '../api/delete-model';
import { useFleet } from '../api/get-fleet';
import { useModels } from '../api/get-models';
import { FleetModels } from '../components/fleet-models';
import { ModelsTable } from '../components/models-table';
import { UploadForm } from '../components/upload-form';

/** `/models` (admins): upload ONNX models, see the catalogue, assign models to boxes and cameras. */
export function ModelsRoute() {
  const { user } = useSession();
  const allowed = may(user, 'model.manage');
  if (!allowed) return <ForbiddenState what="the model catalogue (admins only)" />;
  return <ModelsPage />;
}

function ModelsPage() {
  const models = useModels();
  const fleet = useFleet();
  const assign = useAssignModel();
  const remove = useDeleteModel();
  if (models.isPending || fleet.isPending) return <Loading label="Loading models…" />;
  const failed = models.error ?? fleet.error;
  if (isForbidden(failed)) return <ForbiddenState what="the model catalogue (admins only)" />;
  if (failed)
    return (
      <ErrorState
        error={failed}
        onRetry={() => {
          void models.refetch();
          void fleet.refetch();
        }}
      />
    );
  return (
    <section className="page">
      <h1>Models</h1>
      <section className="section" aria-labelledby="upload-title">
        <h2 id="upload-title">Upload a model</h2>
        <UploadForm />
      </section>
      <section className="section" aria-labelledby="catalogue-title">
        <h2 id="catalogue-title">Catalogue</h2>
        {remove.error && (
          <p className="field-error" role="alert">
            {remove.error.message}
          </p>
        )}
        <ModelsTable
          models={models.data!}
          deleting={remove.isPending ? (remove.variables ?? null) : null}
          onDelete={(id) => remove.mutate(id)}
        />
      </section>
      <section className="section" aria-labelledby="fleet-title">
        <h2 id="fleet-title">Which box runs which model</h2>
        {assign.error && (
          <p className="field-error" role="alert">
            Assignment failed: {assign.error.message}
          </p>
        )}
        {assign.isSuccess && !assign.isPending && (
          <p className="notice" role="status">
            Assigned: the box applies the new config and downloads the model; its config shows pending until
            then.
          </p>
        )}
        <FleetModels
          devices={fleet.data!.devices}
          cameras={fleet.data!.cameras}
          models={models.data!}
          pending={assign.isPending}
          onAssign={(cameraIds, modelId) => assign.mutate({ cameraIds, modelId })}
        />
      </section>
    </section>
  );
}
