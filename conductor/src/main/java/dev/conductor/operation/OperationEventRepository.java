package dev.conductor.operation;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;
import java.util.UUID;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface OperationEventRepository extends CrudRepository<OperationEvent, Long> {

  @Query(
      "SELECT * FROM operation_events WHERE operation_id = :operationId AND id > :afterId"
          + " ORDER BY id")
  List<OperationEvent> findAfter(UUID operationId, long afterId);
}
