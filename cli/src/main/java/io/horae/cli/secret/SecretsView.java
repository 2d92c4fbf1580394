package io.horae.cli.secret;

import io.horae.api.v1.SigningSecretInfo;
import io.horae.cli.output.TablePrinter;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;

/** Signing secrets as a table: fingerprints and times, never values. */
final class SecretsView {
  private SecretsView() {}

  static void printTable(List<SigningSecretInfo> secrets, PrintWriter out) {
    TablePrinter table = new TablePrinter("ID", "CREATED", "SIGNS UNTIL");
    for (SigningSecretInfo s : secrets) {
      table.row(
          s.getId().isEmpty() ? "-" : s.getId(),
          Instant.ofEpochMilli(s.getCreatedMs()),
          s.getExpiresMs() == 0 ? "current" : Instant.ofEpochMilli(s.getExpiresMs()));
    }
    table.print(out);
  }
}
