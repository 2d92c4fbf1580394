package io.horae.server.api;

import io.horae.api.v1.AddNodeRequest;
import io.horae.internal.v1.Member;
import io.horae.server.config.HostPort;
import io.horae.server.errors.Echo;
import io.horae.server.errors.ValidationException;
import io.horae.statemachine.core.schedule.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Checks membership requests at the edge; a bad one gets one field violation per problem. */
final class MembershipValidator {
  /** Same rule as node.id in the config: ids end up in metric labels, file names and claims. */
  static final Pattern NODE_ID = Pattern.compile("[a-z0-9-]{1,32}");

  private MembershipValidator() {}

  /** The member record to add, or a ValidationException naming every bad field. */
  static Member member(AddNodeRequest r) {
    List<Violation> violations = new ArrayList<>();
    id("id", r.getId(), violations);
    address("raft_address", r.getRaftAddress(), true, violations);
    address("api_address", r.getApiAddress(), true, violations);
    address("admin_address", r.getAdminAddress(), false, violations);
    address("internal_address", r.getInternalAddress(), true, violations);
    if (!violations.isEmpty()) {
      throw new ValidationException(violations);
    }
    return Member.newBuilder()
        .setId(r.getId())
        .setRaftAddress(HostPort.parse(r.getRaftAddress()).toString())
        .setApiAddress(HostPort.parse(r.getApiAddress()).toString())
        .setAdminAddress(
            r.getAdminAddress().isEmpty() ? "" : HostPort.parse(r.getAdminAddress()).toString())
        .setInternalAddress(HostPort.parse(r.getInternalAddress()).toString())
        .build();
  }

  /** Throws a ValidationException unless {@code value} is a well-formed node id. */
  static void id(String field, String value, boolean required) {
    List<Violation> violations = new ArrayList<>();
    if (required || !value.isEmpty()) {
      id(field, value, violations);
    }
    if (!violations.isEmpty()) {
      throw new ValidationException(violations);
    }
  }

  private static void id(String field, String value, List<Violation> violations) {
    if (value.isEmpty()) {
      violations.add(new Violation(field, "is required"));
    } else if (!NODE_ID.matcher(value).matches()) {
      violations.add(
          new Violation(field, "'" + Echo.value(value) + "' must match " + NODE_ID.pattern()));
    }
  }

  private static void address(
      String field, String value, boolean required, List<Violation> violations) {
    if (value.isEmpty()) {
      if (required) {
        violations.add(new Violation(field, "is required, as host:port"));
      }
      return;
    }
    try {
      if (HostPort.parse(value).port() == 0) {
        violations.add(
            new Violation(
                field,
                "'" + Echo.value(value) + "': port must be between 1 and " + HostPort.PORT_MAX));
      }
    } catch (IllegalArgumentException e) {
      violations.add(new Violation(field, "'" + Echo.value(value) + "': " + e.getMessage()));
    }
  }
}
