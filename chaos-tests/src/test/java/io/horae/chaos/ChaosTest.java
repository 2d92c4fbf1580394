package io.horae.chaos;

import io.horae.server.cluster.Receiver;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every process-level test has: a directory for the nodes' data and logs, kept when the test
 * fails, and a recording webhook receiver whose log is written there as {@value DeliveryLog#FILE}.
 */
abstract class ChaosTest {
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path tmp;

  Receiver receiver;

  @BeforeEach
  void startReceiver() throws IOException {
    receiver = new Receiver();
  }

  @AfterEach
  void writeDeliveryLog() {
    receiver.close();
    DeliveryLog.write(tmp, receiver);
  }
}
