package io.horae.statemachine.core.schedule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * Goal: keep schedule math a pure function of its arguments, as Raft proposers on different nodes
 * and replays of the log rely on. Checks the compiled main classes of this package for any clock,
 * random source or thread use.
 */
class SchedulePurityTest {

  private static final JavaClasses SCHEDULE_CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.horae.statemachine.core.schedule");

  @Test
  void scheduleMathReadsNoClockRandomSourceOrThread() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .belongToAnyOf(Clock.class, Random.class, ThreadLocalRandom.class, Thread.class)
        .orShould()
        .callMethod(System.class, "currentTimeMillis")
        .orShould()
        .callMethod(System.class, "nanoTime")
        .orShould()
        .callMethod(System.class, "getenv", String.class)
        .orShould()
        .callMethod(Instant.class, "now")
        .orShould()
        .callMethod(LocalDateTime.class, "now")
        .orShould()
        .callMethod(ZonedDateTime.class, "now")
        .check(SCHEDULE_CLASSES);
  }
}
