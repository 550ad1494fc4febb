package dev.conductor.cli.jobs;

import dev.conductor.api.v1.JobPage;
import dev.conductor.cli.PageOptions;
import dev.conductor.cli.TenantConnectionOptions;
import dev.conductor.cli.WatchOption;
import jakarta.annotation.Nullable;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    mixinStandardHelpOptions = true,
    description =
        "List the tenant's jobs, newest first, one page at a time; an operator names the tenant"
            + " with --tenant.")
public final class ListJobsCommand implements Callable<Integer> {

  @Mixin TenantConnectionOptions connection;

  @Option(
      names = "--tenant",
      paramLabel = "NAME",
      description =
          "As the operator (operator token, not the tenant's key): this tenant's jobs, including a"
              + " deleted tenant's.")
  @Nullable
  String tenant;

  @Option(
      names = "--status",
      paramLabel = "STATUS",
      description = "Only jobs in this status: ${COMPLETION-CANDIDATES}.")
  @Nullable
  JobStatus status;

  @Mixin PageOptions paging;
  @Mixin WatchOption watch;

  @Override
  public Integer call() {
    return watch.show(connection, "conductor jobs list", this::frame);
  }

  private String frame() {
    String wanted = status == null ? null : status.name();
    JobPage page =
        tenant == null
            ? connection.client().jobs(wanted, paging.limit(), paging.cursor())
            : connection
                .operatorClient()
                .tenantJobs(tenant, wanted, paging.limit(), paging.cursor());
    String moreArgs =
        (tenant == null ? "" : " --tenant " + tenant)
            + (status == null ? "" : " --status " + status)
            + paging.limitFlag();
    return connection.structured() ? connection.render(page) : JobFormat.list(page, moreArgs);
  }
}
