package io.horae.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples each node's heap in use and resident set size from its {@code /metrics} once per
 * interval, for the whole bench. At most {@code samplesMax} samples per node are kept (the oldest
 * are thinned by half when full), so a long run stays bounded.
 */
public final class MemorySampler implements AutoCloseable {
  /** One reading of one node; NaN where the node did not answer. */
  public record Sample(long atMs, double heapBytes, double rssBytes) {}

  private final Map<String, String> adminUrls;
  private final AdminHttp http;
  private final int samplesMax;
  private final Map<String, List<Sample>> samples = new LinkedHashMap<>();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().daemon().name("bench-memory").unstarted(r));

  MemorySampler(Map<String, String> adminUrls, AdminHttp http, Duration interval, int samplesMax) {
    this.adminUrls = Map.copyOf(adminUrls);
    this.http = http;
    this.samplesMax = samplesMax;
    adminUrls.keySet().forEach(id -> samples.put(id, new ArrayList<>()));
    timer.scheduleAtFixedRate(this::sampleAll, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void sampleAll() {
    adminUrls.forEach(
        (id, url) ->
            add(id, parse(System.currentTimeMillis(), Metrics.scrape(http, url, FAMILIES))));
  }

  private synchronized void add(String id, Sample s) {
    List<Sample> list = samples.get(id);
    if (list.size() >= samplesMax) {
      List<Sample> thinned = new ArrayList<>();
      for (int i = 0; i < list.size(); i += 2) {
        thinned.add(list.get(i));
      }
      list.clear();
      list.addAll(thinned);
    }
    list.add(s);
  }

  /** The metric families a sample reads: the node renders only these. */
  static final List<String> FAMILIES = List.of("jvm_memory_used_bytes", "horae_process_rss_bytes");

  /**
   * Heap = the sum of {@code jvm_memory_used_bytes{area="heap"}}; RSS = {@code
   * horae_process_rss_bytes}.
   */
  static Sample parse(long atMs, String prometheusText) {
    return new Sample(
        atMs,
        Metrics.sum(prometheusText, "jvm_memory_used_bytes", "area=\"heap\""),
        Metrics.sum(prometheusText, "horae_process_rss_bytes", ""));
  }

  /** Each node's samples so far, oldest first. */
  public synchronized Map<String, List<Sample>> samples() {
    Map<String, List<Sample>> out = new LinkedHashMap<>();
    samples.forEach((id, list) -> out.put(id, List.copyOf(list)));
    return out;
  }

  /** The latest sample of each node. */
  public synchronized Map<String, Sample> latest() {
    Map<String, Sample> out = new LinkedHashMap<>();
    samples.forEach(
        (id, list) -> {
          if (!list.isEmpty()) {
            out.put(id, list.get(list.size() - 1));
          }
        });
    return out;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
