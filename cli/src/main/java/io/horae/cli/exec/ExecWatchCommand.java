package io.horae.cli.exec;

import io.horae.api.v1.ExecutionEvent;
import io.horae.api.v1.ExecutionEventKind;
import io.horae.cli.common.GlobalOptions;
import io.horae.client.ExecutionWatch;
import io.horae.client.ExecutionWatcher;
import io.horae.client.HoraeClient;
import io.horae.client.HoraeException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code horae exec watch}: prints execution changes as the cluster applies them, one line each,
 * until interrupted, until {@code --count} changes were printed, or until the server ends the
 * stream (then exit 1 with the reason, e.g. the watcher fell behind).
 */
@Command(
    name = "watch",
    description = "Print execution changes of a namespace or one job as they happen.")
final class ExecWatchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--job", paramLabel = "NAME", description = "Only this job's executions.")
  String job = "";

  @Option(
      names = "--count",
      paramLabel = "N",
      description = "Exit after N changes (default: run until interrupted).")
  int count;

  @Override
  public Integer call() throws InterruptedException {
    if (count < 0) {
      throw new ParameterException(
          spec.commandLine(), "Invalid value for option '--count': " + count + " is negative");
    }
    GlobalOptions root = GlobalOptions.of(spec);
    CompletableFuture<Void> done = new CompletableFuture<>();
    try (HoraeClient client = root.newClient()) {
      ExecutionWatch watch = client.executions().watch(root.namespace(), job, printer(root, done));
      try {
        done.get();
      } catch (ExecutionException e) {
        throw (HoraeException) e.getCause();
      } finally {
        watch.close();
      }
    }
    return 0;
  }

  /** Prints changes (the WATCHING event goes to stderr) and completes {@code done} at the end. */
  private ExecutionWatcher printer(GlobalOptions root, CompletableFuture<Void> done) {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    AtomicInteger printed = new AtomicInteger();
    return new ExecutionWatcher() {
      @Override
      public void onEvent(ExecutionEvent event) {
        if (event.getKind() == ExecutionEventKind.EXECUTION_EVENT_KIND_WATCHING) {
          err.printf(
              "watching %s%s after index %d%n",
              root.namespace(), job.isEmpty() ? "" : "/" + job, event.getAppliedIndex());
          err.flush();
          return;
        }
        if (count == 0 || printed.get() < count) {
          ExecView.printEvent(event, root.output(), out);
          if (printed.incrementAndGet() == count) {
            done.complete(null);
          }
        }
      }

      @Override
      public void onEnd(HoraeException error) {
        if (error == null) {
          done.complete(null);
        } else {
          done.completeExceptionally(error);
        }
      }
    };
  }
}
