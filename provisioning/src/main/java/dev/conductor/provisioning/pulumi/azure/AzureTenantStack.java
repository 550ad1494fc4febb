package dev.conductor.provisioning.pulumi.azure;

import com.pulumi.Context;
import com.pulumi.azurenative.app.ContainerApp;
import com.pulumi.azurenative.app.outputs.ConfigurationResponse;
import com.pulumi.azurenative.servicebus.Queue;
import com.pulumi.azurenative.servicebus.QueueArgs;
import com.pulumi.azurenative.servicebus.Topic;
import com.pulumi.azurenative.servicebus.TopicArgs;
import com.pulumi.core.Output;
import dev.conductor.provisioning.pulumi.AzureTarget;
import dev.conductor.provisioning.pulumi.StackOutputs;
import dev.conductor.provisioning.pulumi.TenantStackConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One tenant on Azure: its database (shared or dedicated flexible server), its job topic and
 * control queue on the Service Bus namespace of its plan's tier, its app as a Container App and its
 * worker template as a Container Apps Job, plus one such job per worker location of the target.
 * Worker subscriptions are made at run time, one per worker, not here.
 */
public final class AzureTenantStack {
  static final int POSTGRES_PORT = 5432;

  /** Broker duplicate detection de-duplicates the deterministic message ids of the protocol. */
  static final String DUPLICATE_DETECTION_WINDOW = "PT10M";

  private AzureTenantStack() {}

  public static void stack(Context ctx) {
    TenantStackConfig config = TenantStackConfig.from(ctx);
    AzureTarget azure = config.target(AzureTarget.class);
    AzureNames names = AzureNames.of(config.tenant(), azure.namePrefix());

    Output<String> databaseHost = AzureDatabase.declare(config, azure, names);
    declareBus(config, azure, names);
    ContainerApp app = AzureContainers.app(config, azure, names, databaseHost);
    AzureContainers.workerJob(config, azure);
    azure
        .workerLocations()
        .forEach((name, where) -> AzureContainers.workerJob(config, azure, name, where));

    StackOutputs.exportDatabase(
        ctx,
        databaseHost,
        Output.of(Integer.toString(POSTGRES_PORT)),
        names.database(),
        names.administratorLogin(),
        config.secretDatabasePassword());
    StackOutputs.export(
        ctx,
        StackOutputs.QUEUE,
        Output.of(Map.of("jobTopic", names.jobTopic(), "controlQueue", names.controlQueue())));
    StackOutputs.export(
        ctx,
        StackOutputs.APP,
        app.configuration().applyValue(configuration -> appIdentifiers(config, configuration)));
    StackOutputs.exportContainer(ctx, config.worker());
  }

  /** Service Bus topics and queues take no tags; the shared namespace carries them. */
  private static void declareBus(TenantStackConfig config, AzureTarget azure, AzureNames names) {
    String namespace = azure.busNamespace(config.infrastructure().busTier());
    new Topic(
        "job-topic",
        TopicArgs.builder()
            .resourceGroupName(azure.resourceGroupName())
            .namespaceName(namespace)
            .topicName(names.jobTopic())
            .requiresDuplicateDetection(true)
            .duplicateDetectionHistoryTimeWindow(DUPLICATE_DETECTION_WINDOW)
            .build());
    new Queue(
        "control-queue",
        QueueArgs.builder()
            .resourceGroupName(azure.resourceGroupName())
            .namespaceName(namespace)
            .queueName(names.controlQueue())
            .requiresDuplicateDetection(true)
            .duplicateDetectionHistoryTimeWindow(DUPLICATE_DETECTION_WINDOW)
            .deadLetteringOnMessageExpiration(true)
            .build());
  }

  /** The app's public URL joins the registration once its ingress has a host name. */
  private static Map<String, String> appIdentifiers(
      TenantStackConfig config, Optional<ConfigurationResponse> configuration) {
    Map<String, String> identifiers =
        new LinkedHashMap<>(StackOutputs.appIdentifiers(config.app()));
    configuration
        .flatMap(ConfigurationResponse::ingress)
        .map(ingress -> ingress.fqdn())
        .filter(fqdn -> !fqdn.isBlank())
        .ifPresent(fqdn -> identifiers.put("url", "https://" + fqdn));
    return identifiers;
  }
}
