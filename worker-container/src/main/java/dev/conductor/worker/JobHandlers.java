package dev.conductor.worker;

import jakarta.annotation.Nullable;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/** The job handlers of this worker by type; two handlers for one type are a startup error. */
public final class JobHandlers {
  /** Sorted by type, unmodifiable. */
  private final SortedMap<String, JobHandler> byType;

  private JobHandlers(SortedMap<String, JobHandler> byType) {
    this.byType = byType;
  }

  /** The built-in handlers and every handler jar on the class path. */
  public static JobHandlers load() {
    return load(JobHandlers.class.getClassLoader());
  }

  /**
   * @throws InvalidConfigurationException if a handler cannot be loaded or two share a type
   */
  public static JobHandlers load(ClassLoader classLoader) {
    List<JobHandler> found = new ArrayList<>();
    try {
      ServiceLoader.load(JobHandler.class, classLoader).forEach(found::add);
    } catch (ServiceConfigurationError e) {
      throw new InvalidConfigurationException("cannot load a job handler: " + e.getMessage(), e);
    }
    return of(found);
  }

  /**
   * @throws InvalidConfigurationException if a type is blank or two handlers share one
   */
  public static JobHandlers of(Collection<? extends JobHandler> handlers) {
    SortedMap<String, JobHandler> byType = new TreeMap<>();
    for (JobHandler handler : handlers) {
      String type = handler.type();
      if (type == null || type.isBlank()) {
        throw new InvalidConfigurationException(
            "job handler " + describe(handler) + " has no type");
      }
      JobHandler previous = byType.putIfAbsent(type, handler);
      if (previous != null) {
        throw new InvalidConfigurationException(
            "job type '"
                + type
                + "' is provided twice: by "
                + describe(previous)
                + " and by "
                + describe(handler)
                + "; remove one of them from the class path");
      }
    }
    return new JobHandlers(Collections.unmodifiableSortedMap(byType));
  }

  /** These handlers and {@code more}, failing on a type both have. */
  public JobHandlers with(JobHandler... more) {
    List<JobHandler> all = new ArrayList<>(byType.values());
    all.addAll(List.of(more));
    return of(all);
  }

  public Optional<JobHandler> find(@Nullable String type) {
    return type == null ? Optional.empty() : Optional.ofNullable(byType.get(type));
  }

  public Set<String> types() {
    return byType.keySet();
  }

  private static String describe(JobHandler handler) {
    Class<?> type = handler.getClass();
    CodeSource source = type.getProtectionDomain().getCodeSource();
    return source == null || source.getLocation() == null
        ? type.getName()
        : type.getName() + " (" + source.getLocation() + ")";
  }
}
