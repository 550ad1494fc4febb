package dev.conductor.testing;

import dev.conductor.provisioning.ProgressListener;
import dev.conductor.provisioning.ProvisionedResources;
import dev.conductor.provisioning.Provisioner;
import dev.conductor.provisioning.ResourceDiff;
import dev.conductor.provisioning.TenantSpec;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * Holds a tenant's provisioning RUNNING for as long as a test needs it, instead of slowing every
 * step down and hoping the test is faster. Enabled by {@value #PROPERTY}{@code =true}, it wraps the
 * conductor's provisioner: a provision of a {@linkplain #hold held} tenant (onboarding, or the
 * provision step of a plan update) stops after its first step until the test {@linkplain #release
 * releases} the tenant or the run's thread is interrupted. An interrupt (a cancel, or the conductor
 * stopping) is handed back to the real provisioner, which stops at its next safe point as it would
 * in production, its first step done. For conductors on the local provisioner, whose bean is a
 * plain {@link Provisioner}.
 */
@Singleton
@Requires(property = ProvisionerGate.PROPERTY, value = "true")
public final class ProvisionerGate implements BeanCreatedEventListener<Provisioner> {
  public static final String PROPERTY = "conductor.test.provisioner-gate";

  private final Map<String, CountDownLatch> held = new ConcurrentHashMap<>();

  /** The gate of a conductor started with {@value #PROPERTY}{@code =true}. */
  public static ProvisionerGate of(RunningConductor conductor) {
    return conductor.server().context().getBean(ProvisionerGate.class);
  }

  /** From now on, provisions of the tenant stop after their first step until {@link #release}. */
  public void hold(String tenant) {
    held.putIfAbsent(tenant, new CountDownLatch(1));
  }

  /** Lets the tenant's held provision go on, and its next ones run through. */
  public void release(String tenant) {
    CountDownLatch latch = held.remove(tenant);
    if (latch != null) {
      latch.countDown();
    }
  }

  @Override
  public Provisioner onCreated(BeanCreatedEvent<Provisioner> event) {
    return new Gated(event.getBean());
  }

  /** Called after the provision's first step, on the operation's thread. */
  private void await(String tenant) {
    CountDownLatch latch = held.get(tenant);
    if (latch == null) {
      return;
    }
    try {
      latch.await();
    } catch (InterruptedException e) {
      // Left for the real provisioner, whose next safe point turns it into a cancellation.
      Thread.currentThread().interrupt();
    }
  }

  private final class Gated implements Provisioner {
    private final Provisioner real;

    Gated(Provisioner real) {
      this.real = real;
    }

    @Override
    public String kind() {
      return real.kind();
    }

    @Override
    public ProvisionedResources provision(TenantSpec tenant, ProgressListener progress) {
      String name = tenant.name().value();
      ProgressListener gated =
          new ProgressListener() {
            private boolean first = true;

            @Override
            public void info(String message) {
              progress.info(message);
              if (first) {
                first = false;
                await(name);
              }
            }

            @Override
            public void warn(String message) {
              progress.warn(message);
            }
          };
      return real.provision(tenant, gated);
    }

    @Override
    public void deprovision(TenantSpec tenant, ProgressListener progress) {
      real.deprovision(tenant, progress);
    }

    @Override
    public ResourceDiff refresh(TenantSpec tenant, ProgressListener progress) {
      return real.refresh(tenant, progress);
    }

    @Override
    public ResourceDiff preview(TenantSpec tenant, ProgressListener progress) {
      return real.preview(tenant, progress);
    }
  }
}
