package io.horae.statemachine.core.schedule;

/**
 * A problem found in a schedule, ready to become a {@code google.rpc.BadRequest} field violation.
 *
 * @param field the proto path of the offending field, for example {@code schedule.cron.expression}
 * @param description what is wrong, naming the value and what is accepted
 */
public record Violation(String field, String description) {}
