package io.horae.chaos;

import io.horae.server.cluster.Receiver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The receiver's log as a CSV file in the test's directory (kept when the test fails): one line per
 * delivery with arrival time, scheduled time, idempotency key, attempt, delivering node and the
 * time that node stamped on the attempt, the X-Horae-Scheduled-Time header and the status the
 * receiver answered. Columns are only ever added at the end; {@code
 * io.horae.chaos.check.DeliveryCsv} reads them by name.
 */
final class DeliveryLog {
  static final String FILE = "deliveries.csv";

  private DeliveryLog() {}

  static Path write(Path dir, Receiver receiver) {
    List<String> lines = new ArrayList<>();
    lines.add(
        "received_ms,scheduled_ms,late_ms,idempotency_key,attempt,node,attempt_time,scheduled_header,status");
    receiver.deliveries().stream()
        .sorted(Comparator.comparingLong(Receiver.Delivery::receivedMs))
        .forEach(
            d ->
                lines.add(
                    String.join(
                        ",",
                        Long.toString(d.receivedMs()),
                        Long.toString(d.scheduledMs()),
                        Long.toString(d.receivedMs() - d.scheduledMs()),
                        d.idempotencyKey(),
                        String.valueOf(d.attempt()),
                        String.valueOf(d.node()),
                        String.valueOf(d.attemptTime()),
                        String.valueOf(d.scheduledTime()),
                        Integer.toString(d.status()))));
    Path file = dir.resolve(FILE);
    try {
      Files.write(file, lines, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }
}
