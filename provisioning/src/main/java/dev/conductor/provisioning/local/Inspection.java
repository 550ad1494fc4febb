package dev.conductor.provisioning.local;

/**
 * Receives the outcome of each check of a tenant's resources against what provision makes. Refresh
 * and preview word the same findings differently: as drift, or as what provision would do.
 */
interface Inspection {

  /** The resource is as provision left it. */
  void matches(String resource);

  /**
   * @param drift how the resource differs now ("missing", "connect granted to public")
   * @param change what provision would do about it ("create", "revoke connect from public")
   */
  void differs(String resource, String drift, String change);
}
