package dev.conductor.cli.tenants;

import dev.conductor.cli.ConductorClient;

final class TenantPaths {

  static final String TENANTS = "/v1/tenants";

  private TenantPaths() {}

  static String tenant(String name) {
    return TENANTS + "/" + ConductorClient.segment(name);
  }
}
