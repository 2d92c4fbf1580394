package io.horae.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.core.ConsoleAppender;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

class CliLoggingTest {
  @Test
  void aClientCommandLogsOnlyWarningsAndErrorsToStderr() {
    LoggerContext context = new LoggerContext();
    assertThat(new CliLogging().configure(context, null))
        .isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    assertThat(root.getLevel()).isEqualTo(Level.WARN);
    assertThat(root.getAppender("STDERR"))
        .isInstanceOfSatisfying(
            ConsoleAppender.class, a -> assertThat(a.getTarget()).isEqualTo("System.err"));
    assertThat(context.getLogger("io.grpc.netty").isInfoEnabled()).isFalse();
  }

  @Test
  void aJvmGivenAConfigurationFileIsLeftToIt() {
    LoggerContext context = new LoggerContext();
    assertThat(new CliLogging().configure(context, "/etc/horae/logback.xml"))
        .isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
    assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext())
        .isFalse();
  }

  @Test
  void logbackFindsItThroughTheServiceFile() {
    assertThat(ServiceLoader.load(ch.qos.logback.classic.spi.Configurator.class).stream())
        .anyMatch(p -> p.type() == CliLogging.class);
  }
}
