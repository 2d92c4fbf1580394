package io.horae.statemachine.core.schedule;

import com.cronutils.model.time.ExecutionTime;

/**
 * A parsed cron expression.
 *
 * @param wallTimes matching times, evaluated on a zone-free clock: callers pass and receive wall
 *     times as {@code LocalDateTime} at UTC, and map them to instants with {@link CronTimes}
 * @param firesEver false for an expression no date can satisfy, such as {@code 0 0 30 2 *}
 */
record ParsedCron(ExecutionTime wallTimes, boolean firesEver) {}
