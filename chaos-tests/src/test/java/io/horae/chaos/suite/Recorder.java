package io.horae.chaos.suite;

import java.util.Map;

/** Where the workload writes each client operation: its invocation, then exactly one outcome. */
public interface Recorder {
  /** The outcome kinds of a client operation. */
  enum Outcome {
    /** It happened. */
    OK,
    /** It definitely did not happen (the server refused it). */
    FAIL,
    /** Unknown: a timeout or a lost connection; it may or may not have happened. */
    INFO
  }

  void invoke(String process, String f, Map<String, Object> fields);

  void complete(String process, String f, Outcome outcome, Map<String, Object> fields);
}
