package io.horae.chaos.check;

import io.horae.chaos.check.Event.Type;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A history as read back from its file: the events in file order, and their operations. */
public record History(List<Event> events) {
  public History {
    events = List.copyOf(events);
  }

  public static History of(Event... events) {
    return new History(List.of(events));
  }

  /**
   * Reads a history file. A last line cut short by a crash of the test JVM is skipped; a bad line
   * anywhere else is an error naming the line.
   */
  public static History read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read history " + file, e);
    }
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty()) {
        continue;
      }
      try {
        events.add(Event.fromJsonLine(line));
      } catch (RuntimeException e) {
        if (i == lines.size() - 1) {
          break;
        }
        throw new IllegalArgumentException(file + " line " + (i + 1) + ": " + e.getMessage(), e);
      }
    }
    return new History(events);
  }

  public void write(Path file) {
    try (HistoryWriter w = new HistoryWriter(file)) {
      events.forEach(w::append);
    }
  }

  /** Operations in the order of their invokes. */
  public List<Op> ops() {
    List<Op> ops = new ArrayList<>();
    Map<String, Integer> pending = new HashMap<>();
    for (Event e : events) {
      if (e.type() == Type.INVOKE) {
        pending.put(e.process(), ops.size());
        ops.add(new Op(e, null));
        continue;
      }
      Integer i = pending.get(e.process());
      if (i != null && ops.get(i).f().equals(e.f())) {
        pending.remove(e.process());
        ops.set(i, new Op(ops.get(i).invoke(), e));
      } else {
        ops.add(new Op(e, e));
      }
    }
    return List.copyOf(ops);
  }

  public Optional<Long> seed() {
    return runEvent().map(Event::seed);
  }

  /** The cluster's node ids, from the run event; empty when the history has none. */
  public List<String> nodes() {
    return runEvent().map(Event::nodes).orElse(List.of());
  }

  /** The time of the end event, or of the last event when there is none. */
  public long endMs() {
    for (Event e : events) {
      if (Event.RUNNER.equals(e.process()) && e.f().equals("end")) {
        return e.timeMs();
      }
    }
    return events.stream().mapToLong(Event::timeMs).max().orElse(0);
  }

  /** Nemesis events and the runner's heal-all, in file order. */
  public List<Event> faultEvents() {
    return events.stream()
        .filter(
            e -> e.isNemesis() || (Event.RUNNER.equals(e.process()) && e.f().equals("heal-all")))
        .toList();
  }

  private Optional<Event> runEvent() {
    return events.stream()
        .filter(e -> Event.RUNNER.equals(e.process()) && e.f().equals("run"))
        .findFirst();
  }
}
