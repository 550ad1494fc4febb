package dev.conductor.provisioning.pulumi;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How big a tenant's infrastructure is, per plan name: database server, bus tier, app and worker
 * container sizes, worker limit. Sizes follow Azure's rules (flexible server SKUs and storage
 * sizes, Container Apps consumption CPU/memory pairs); the docker target uses the memory sizes.
 *
 * @param dedicatedDatabaseServer the tenant gets its own PostgreSQL server instead of a database on
 *     the shared one
 * @param databaseSku flexible server SKU of a dedicated server, e.g. {@code Standard_B1ms}
 * @param databaseStorageGb storage of a dedicated server, one of the flexible server sizes
 * @param busTier the Service Bus tier whose namespace holds the tenant's topic and queue
 * @param appCpu vCPUs of the tenant app container (0.25 to 4 in steps of 0.25)
 * @param appMemory memory of the tenant app container, twice its vCPUs in Gi ({@code 0.5Gi})
 * @param workerCpu vCPUs of one worker container
 * @param workerMemory memory of one worker container, twice its vCPUs in Gi
 * @param maxWorkerReplicas at most this many workers of the tenant run at once
 */
public record InfrastructurePlan(
    boolean dedicatedDatabaseServer,
    String databaseSku,
    int databaseStorageGb,
    BusTier busTier,
    double appCpu,
    String appMemory,
    double workerCpu,
    String workerMemory,
    int maxWorkerReplicas) {

  /** A Service Bus topic holds at most 2,000 subscriptions, and every worker has one. */
  public static final int MAX_WORKER_REPLICAS = 2000;

  private static final Set<Integer> STORAGE_SIZES_GB =
      Set.of(32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32767);
  private static final Pattern SKU = Pattern.compile("Standard_[BDE][A-Za-z0-9_]+");
  private static final Pattern GIBIBYTES = Pattern.compile("([0-9]+(\\.[0-9]+)?)Gi");
  private static final double MIN_CPU = 0.25;
  private static final double MAX_CPU = 4;

  // Declared after the patterns its validation uses: static fields initialise in order.
  /** The smallest useful shape: shared server, Standard bus, the smallest containers. */
  public static final InfrastructurePlan DEFAULTS =
      new InfrastructurePlan(
          false, "Standard_B1ms", 32, BusTier.STANDARD, 0.25, "0.5Gi", 0.5, "1Gi", 10);

  /** The two Service Bus tiers a plan can ask for. */
  public enum BusTier {
    STANDARD("Standard"),
    PREMIUM("Premium");

    private final String azureName;

    BusTier(String azureName) {
      this.azureName = azureName;
    }

    /** The tier as Azure spells it, also its configuration value. */
    public String azureName() {
      return azureName;
    }

    public static BusTier parse(String value) {
      for (BusTier tier : values()) {
        if (tier.azureName.equalsIgnoreCase(value)) {
          return tier;
        }
      }
      throw new IllegalArgumentException(
          "busTier must be Standard or Premium, got '" + value + "'");
    }
  }

  public InfrastructurePlan {
    if (databaseSku == null || !SKU.matcher(databaseSku).matches()) {
      throw new IllegalArgumentException(
          "databaseSku must be a flexible server SKU such as Standard_B1ms, Standard_D2ds_v5 or"
              + " Standard_E2ds_v5, got '"
              + databaseSku
              + "'");
    }
    if (!STORAGE_SIZES_GB.contains(databaseStorageGb)) {
      throw new IllegalArgumentException(
          "databaseStorageGb must be one of the flexible server sizes "
              + STORAGE_SIZES_GB.stream().sorted().toList()
              + ", got "
              + databaseStorageGb);
    }
    if (busTier == null) {
      throw new IllegalArgumentException("busTier is required: Standard or Premium");
    }
    requireContainerSize("app", appCpu, appMemory);
    requireContainerSize("worker", workerCpu, workerMemory);
    if (maxWorkerReplicas < 1 || maxWorkerReplicas > MAX_WORKER_REPLICAS) {
      throw new IllegalArgumentException(
          "maxWorkerReplicas must be between 1 and "
              + MAX_WORKER_REPLICAS
              + " (subscriptions per Service Bus topic), got "
              + maxWorkerReplicas);
    }
  }

  /** The flexible server tier that goes with the SKU's family letter. */
  public String databaseSkuTier() {
    return switch (databaseSku.charAt("Standard_".length())) {
      case 'B' -> "Burstable";
      case 'D' -> "GeneralPurpose";
      default -> "MemoryOptimized";
    };
  }

  /** Mebibytes of a memory size such as {@code 0.5Gi}, for targets that take a number. */
  public static int mebibytes(String memory) {
    var match = GIBIBYTES.matcher(memory);
    if (!match.matches()) {
      throw new IllegalArgumentException(
          "memory must look like 0.5Gi or 2Gi, got '" + memory + "'");
    }
    return new BigDecimal(match.group(1))
        .multiply(BigDecimal.valueOf(1024))
        .setScale(0, RoundingMode.HALF_UP)
        .intValueExact();
  }

  /** Configuration entries, keys without namespace. */
  Map<String, String> toConfig() {
    Map<String, String> config = new LinkedHashMap<>();
    config.put("dedicatedDatabaseServer", Boolean.toString(dedicatedDatabaseServer));
    config.put("databaseSku", databaseSku);
    config.put("databaseStorageGb", Integer.toString(databaseStorageGb));
    config.put("busTier", busTier.azureName());
    config.put("appCpu", Double.toString(appCpu));
    config.put("appMemory", appMemory);
    config.put("workerCpu", Double.toString(workerCpu));
    config.put("workerMemory", workerMemory);
    config.put("maxWorkerReplicas", Integer.toString(maxWorkerReplicas));
    return config;
  }

  static InfrastructurePlan fromConfig(StackConfigReader config) {
    return new InfrastructurePlan(
        config.requireBoolean("dedicatedDatabaseServer"),
        config.require("databaseSku"),
        config.requireInt("databaseStorageGb"),
        BusTier.parse(config.require("busTier")),
        config.requireDouble("appCpu"),
        config.require("appMemory"),
        config.requireDouble("workerCpu"),
        config.require("workerMemory"),
        config.requireInt("maxWorkerReplicas"));
  }

  /**
   * The Container Apps consumption profile allows 0.25 to 4 vCPUs in steps of 0.25, with memory
   * twice the vCPUs in Gi.
   */
  private static void requireContainerSize(String container, double cpu, String memory) {
    if (cpu < MIN_CPU || cpu > MAX_CPU || cpu * 4 != Math.rint(cpu * 4)) {
      throw new IllegalArgumentException(
          container + "Cpu must be 0.25 to 4 vCPUs in steps of 0.25, got " + cpu);
    }
    if (memory == null || !GIBIBYTES.matcher(memory).matches()) {
      throw new IllegalArgumentException(
          container + "Memory must look like 0.5Gi or 2Gi, got '" + memory + "'");
    }
    if (mebibytes(memory) != Math.round(cpu * 2 * 1024)) {
      throw new IllegalArgumentException(
          container
              + "Memory must be twice "
              + container
              + "Cpu in Gi (Container Apps consumption sizes): "
              + container
              + "Cpu "
              + cpu
              + " needs "
              + new BigDecimal(cpu * 2).stripTrailingZeros().toPlainString()
              + "Gi, got "
              + memory);
    }
  }
}
