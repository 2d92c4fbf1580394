package io.horae.statemachine.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The state machine's core is pure (STYLE.md): it applies commands deterministically, so it may not
 * touch storage, consensus, networking, clocks, randomness or the environment.
 */
class PureCoreTest {
  private static final JavaClasses CORE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.horae.statemachine.core");

  @Test
  void coreImportsNoStorageConsensusOrNetworkTypes() {
    noClasses()
        .that()
        .resideInAPackage("io.horae.statemachine.core..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.rocksdb..",
            "org.apache.ratis..",
            "io.grpc..",
            "okhttp3..",
            "io.horae.statemachine.storage..",
            "io.horae.statemachine.ratis..")
        .check(CORE);
  }

  @Test
  void coreReadsNoClockRandomnessOrEnvironment() {
    noClasses()
        .that()
        .resideInAPackage("io.horae.statemachine.core..")
        .should()
        .callMethod(System.class, "currentTimeMillis")
        .orShould()
        .callMethod(System.class, "nanoTime")
        .orShould()
        .callMethod(System.class, "getenv", String.class)
        .orShould()
        .callMethod(java.time.Instant.class, "now")
        .orShould()
        .callMethod(java.time.Clock.class, "systemUTC")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("java.util.Random")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("java.util.concurrent.ThreadLocalRandom")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("java.security.SecureRandom")
        .check(CORE);
  }
}
