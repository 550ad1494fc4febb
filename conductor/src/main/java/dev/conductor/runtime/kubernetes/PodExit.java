package dev.conductor.runtime.kubernetes;

import dev.conductor.runtime.WorkerExit;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.micronaut.core.annotation.Nullable;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * How a worker pod ended, read from its status: a terminal phase (the container's exit code,
 * OOMKilled, the pod's reason such as Evicted), or a start it will not get over by itself.
 */
final class PodExit {
  // Waiting reasons a pod does not get over by itself: the start failed.
  private static final Set<String> FAILED_START =
      Set.of(
          "ImagePullBackOff",
          "ErrImageNeverPull",
          "InvalidImageName",
          "CreateContainerConfigError",
          "CreateContainerError");

  private PodExit() {}

  static Optional<WorkerExit> of(Pod pod) {
    PodStatus status = pod.getStatus();
    if (status == null) {
      return Optional.empty();
    }
    ContainerStatus container = workerContainer(status.getContainerStatuses());
    String phase = status.getPhase();
    if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
      ContainerStateTerminated terminated =
          container == null || container.getState() == null
              ? null
              : container.getState().getTerminated();
      String podReason = said(status.getReason(), status.getMessage());
      if (terminated == null) {
        return Optional.of(new WorkerExit(-1, false, podReason.isEmpty() ? phase : podReason));
      }
      Integer code = terminated.getExitCode();
      boolean oomKilled = "OOMKilled".equals(terminated.getReason());
      return Optional.of(new WorkerExit(code == null ? -1 : code, oomKilled, podReason));
    }
    ContainerStateWaiting waiting =
        container == null || container.getState() == null
            ? null
            : container.getState().getWaiting();
    if (waiting != null && FAILED_START.contains(waiting.getReason())) {
      return Optional.of(
          new WorkerExit(-1, false, said(waiting.getReason(), waiting.getMessage())));
    }
    return Optional.empty();
  }

  private static @Nullable ContainerStatus workerContainer(@Nullable List<ContainerStatus> all) {
    if (all == null) {
      return null;
    }
    return all.stream()
        .filter(c -> WorkerPodTemplate.CONTAINER.equals(c.getName()))
        .findFirst()
        .orElse(null);
  }

  /** "Reason: message", the first line of the message only. */
  private static String said(@Nullable String reason, @Nullable String message) {
    if (reason == null || reason.isBlank()) {
      return "";
    }
    if (message == null || message.isBlank()) {
      return reason;
    }
    return reason + ": " + message.strip().lines().findFirst().orElse("");
  }
}
