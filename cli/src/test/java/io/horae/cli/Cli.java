package io.horae.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs {@code horae} in this JVM with captured output, for tests. */
public final class Cli {
  private Cli() {}

  /** What one run printed and returned. */
  public record Result(int exitCode, String out, String err) {}

  public static Result horae(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = HoraeCommand.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Result(code, out.toString(), err.toString());
  }

  /** Runs {@code horae --endpoints ENDPOINTS ARGS...}. */
  public static Result horaeAt(String endpoints, String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--endpoints";
    all[1] = endpoints;
    System.arraycopy(args, 0, all, 2, args.length);
    return horae(all);
  }
}
