package dev.conductor.api;

import dev.conductor.api.v1.AuditEventView;
import dev.conductor.api.v1.AuditPage;
import dev.conductor.api.v1.BatchJobResult;
import dev.conductor.api.v1.CreateOperatorRequest;
import dev.conductor.api.v1.CreateTenantRequest;
import dev.conductor.api.v1.CreatedOperator;
import dev.conductor.api.v1.CreatedTenant;
import dev.conductor.api.v1.EndView;
import dev.conductor.api.v1.EventView;
import dev.conductor.api.v1.InfoView;
import dev.conductor.api.v1.JobPage;
import dev.conductor.api.v1.JobView;
import dev.conductor.api.v1.OperationPage;
import dev.conductor.api.v1.OperationSummary;
import dev.conductor.api.v1.OperationView;
import dev.conductor.api.v1.OperatorView;
import dev.conductor.api.v1.Problem;
import dev.conductor.api.v1.RotatedKey;
import dev.conductor.api.v1.SecretsKeyRotation;
import dev.conductor.api.v1.StartedOperation;
import dev.conductor.api.v1.SubmitBatchRequest;
import dev.conductor.api.v1.SubmitJobRequest;
import dev.conductor.api.v1.SubmittedBatch;
import dev.conductor.api.v1.SubmittedJob;
import dev.conductor.api.v1.TenantPage;
import dev.conductor.api.v1.TenantView;
import dev.conductor.api.v1.UpdateTenantRequest;
import dev.conductor.api.v1.WorkerView;
import io.micronaut.serde.annotation.SerdeImport;

/**
 * Makes the records of the conductor-api module (de)serializable here: that module stays free of
 * Micronaut so the CLI carries none of it, and their Jackson annotations shape the JSON here too.
 */
@SerdeImport(CreateTenantRequest.class)
@SerdeImport(CreatedTenant.class)
@SerdeImport(UpdateTenantRequest.class)
@SerdeImport(StartedOperation.class)
@SerdeImport(RotatedKey.class)
@SerdeImport(SecretsKeyRotation.class)
@SerdeImport(TenantView.class)
@SerdeImport(TenantPage.class)
@SerdeImport(OperationView.class)
@SerdeImport(OperationSummary.class)
@SerdeImport(OperationPage.class)
@SerdeImport(EventView.class)
@SerdeImport(EndView.class)
@SerdeImport(SubmitJobRequest.class)
@SerdeImport(SubmittedJob.class)
@SerdeImport(SubmitBatchRequest.class)
@SerdeImport(SubmittedBatch.class)
@SerdeImport(BatchJobResult.class)
@SerdeImport(JobView.class)
@SerdeImport(InfoView.class)
@SerdeImport(JobPage.class)
@SerdeImport(WorkerView.class)
@SerdeImport(Problem.class)
@SerdeImport(CreateOperatorRequest.class)
@SerdeImport(CreatedOperator.class)
@SerdeImport(OperatorView.class)
@SerdeImport(AuditEventView.class)
@SerdeImport(AuditPage.class)
final class ApiRecords {
  private ApiRecords() {}
}
