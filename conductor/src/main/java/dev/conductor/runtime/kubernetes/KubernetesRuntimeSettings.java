package dev.conductor.runtime.kubernetes;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;

/**
 * {@code conductor.runtime.kubernetes.*}: the pod template of worker pods. The cluster is the one
 * of {@code KUBECONFIG} (or {@code ~/.kube/config}, or the pod's own service account in a cluster),
 * its {@code context} when set; {@code namespace} unset is the client's (the context's, or the
 * conductor pod's own). Node selector entries are {@code key=value}, tolerations {@code
 * key[=value]:effect} as {@code kubectl taint} writes them. {@code busUrl} is the broker address
 * pods use: required with the embedded broker, which listens on the conductor's loopback; unset,
 * pods get the conductor's own. {@code gracePeriod} is the pod's termination grace when the cluster
 * stops it (eviction, drain). {@code locations} are those this runtime serves: a located worker's
 * pod gets the node selector {@code <locationLabel>=<location>} (default label: the region).
 */
@ConfigurationProperties("conductor.runtime.kubernetes")
public record KubernetesRuntimeSettings(
    @Nullable String context,
    @Nullable String namespace,
    @NotBlank String image,
    @NotBlank String imagePullPolicy,
    @Nullable String serviceAccount,
    @NotBlank String cpuRequest,
    @NotBlank String cpuLimit,
    @NotBlank String memoryRequest,
    @NotBlank String memoryLimit,
    @Nullable List<String> nodeSelector,
    @Nullable List<String> tolerations,
    @Nullable List<String> imagePullSecrets,
    @Nullable String busUrl,
    @NotNull Duration gracePeriod,
    @Nullable List<String> locations,
    @NotBlank String locationLabel) {}
