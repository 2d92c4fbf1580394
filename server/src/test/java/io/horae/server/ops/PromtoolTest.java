package io.horae.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where promtool is looked for, and what a machine without it and without apt-get is told. */
class PromtoolTest {
  @TempDir Path tmp;

  @Test
  void withoutPromtoolOrAptGetTheLookUpSaysWhyInsteadOfFailing() throws Exception {
    Path emptyBin = Files.createDirectories(tmp.resolve("bin"));
    Promtool.Found found = Promtool.lookUp(emptyBin.toString(), tmp.resolve("cache"));

    assertThat(found.path()).isEmpty();
    assertThat(found.why()).contains("no promtool on the PATH", "no apt-get");
  }

  @Test
  void aPromtoolOnThePathComesBeforeTheCacheAndAnyFetch() throws Exception {
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path promtool =
        Files.createFile(
            bin.resolve("promtool"),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));

    Promtool.Found found = Promtool.lookUp(bin.toString(), tmp.resolve("cache"));

    assertThat(found.path()).contains(promtool);
  }
}
