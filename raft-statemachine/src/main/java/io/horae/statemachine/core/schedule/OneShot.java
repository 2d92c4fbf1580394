package io.horae.statemachine.core.schedule;

/** A schedule with a single occurrence at {@code atMs}. */
record OneShot(long atMs) implements Occurrences {

  @Override
  public long firstAfter(long afterMs) {
    return atMs > afterMs ? atMs : 0;
  }

  @Override
  public long latestAtOrBefore(long atOrBeforeMs) {
    return atMs <= atOrBeforeMs ? atMs : 0;
  }
}
