package io.horae.client;

import java.io.Serializable;
import java.util.Objects;

/**
 * One rejected field of a request, from the {@code google.rpc.BadRequest} detail of an {@code
 * INVALID_ARGUMENT} error.
 *
 * @param field path of the field in the request, such as {@code schedule.cron.expression}; may be
 *     empty when the server did not name one
 * @param description what is wrong and what is accepted
 */
public record FieldViolation(String field, String description) implements Serializable {

  /** Replaces {@code null}s by empty strings. */
  public FieldViolation {
    field = Objects.requireNonNullElse(field, "");
    description = Objects.requireNonNullElse(description, "");
  }

  /** Returns {@code field: description}, or only the description when there is no field. */
  @Override
  public String toString() {
    return field.isEmpty() ? description : field + ": " + description;
  }
}
