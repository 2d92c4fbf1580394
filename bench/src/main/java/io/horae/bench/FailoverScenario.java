package io.horae.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The steady load while the leader is killed (kill -9) a quarter of the way in, and a follower five
 * eighths of the way in (once the first is ready again: one fault at a time); each is restarted
 * after {@code failoverDown}. Reports the longest delivery gap (the worst lateness: how long the
 * executions of a dead node's shards waited), the longest pause in arrivals at the receiver,
 * duplicates and losses. Needs a local cluster.
 */
final class FailoverScenario {
  /** How long a restarted node may take to be ready again. */
  static final java.time.Duration BACK_MAX = java.time.Duration.ofSeconds(90);

  private FailoverScenario() {}

  static ScenarioResult run(BenchContext ctx) throws Exception {
    BenchOptions o = ctx.options();
    if (ctx.cluster() == null) {
      ScenarioResult skipped = new ScenarioResult("failover");
      skipped.notes.add(
          "Skipped: killing nodes needs a cluster the bench started (no --endpoints).");
      skipped.headline("skipped", "needs a local cluster");
      return skipped;
    }
    long seconds = o.failoverDuration.toSeconds();
    ScenarioResult r =
        SteadyScenario.run(
            ctx,
            "failover",
            o.steadyRate,
            seconds,
            (start, end, events) -> disrupt(ctx, start, end, events));
    r.restartedNodes = true;
    Map<String, Object> late = castMap(r.figures.get("lateness_ms"));
    r.headline("longest delivery gap (worst lateness)", late.get("max") + " ms");
    r.headline(
        "longest pause in arrivals (whole cluster)",
        r.figures.get("longest_arrival_gap_ms") + " ms");
    r.headline(
        "jobs delivered under two keys", String.valueOf(r.figures.get("jobs_with_several_keys")));
    Map<String, Double> back = restartToReady(r.figures.get("events"));
    r.put("restart_to_ready_s", back);
    r.headline(
        "restarted node ready after (restart to /health/ready)",
        back.isEmpty()
            ? "no restarted node was ready again"
            : String.join(
                ", ",
                back.entrySet().stream()
                    .map(e -> String.format("%s %.1f s", e.getKey(), e.getValue()))
                    .toList()));
    return r;
  }

  /**
   * Each restarted node that was ready again: seconds from its restart to the bench seeing it ready
   * (polled every 200 ms), item 7 of issue 11. In the order of the restarts.
   */
  static Map<String, Double> restartToReady(Object events) {
    Map<String, Double> restartAt = new LinkedHashMap<>();
    Map<String, Double> back = new LinkedHashMap<>();
    if (!(events instanceof List<?> list)) {
      return back;
    }
    for (Object o : list) {
      if (o instanceof Map<?, ?> e && e.get("node") instanceof String node) {
        double at = ((Number) e.get("at_s")).doubleValue();
        if ("restart".equals(e.get("event"))) {
          restartAt.put(node, at);
        } else if ("ready again".equals(e.get("event")) && restartAt.containsKey(node)) {
          back.put(node, Math.round((at - restartAt.remove(node)) * 10) / 10.0);
        }
      }
    }
    return back;
  }

  /** One fault at a time: the follower is killed only once the leader that was killed is back. */
  private static void disrupt(
      BenchContext ctx, long start, long end, List<Map<String, Object>> events) throws Exception {
    long span = end - start;
    sleepUntil(start + span / 4);
    String leader = ctx.client().clusterStatus().getLeaderId();
    String first = leader.isEmpty() ? ctx.cluster().ids().get(0) : leader;
    kill(ctx, first, "leader", start, events);
    if (!ctx.cluster().awaitReady(first, BACK_MAX)) {
      events.add(
          event(
              "not ready again within " + BACK_MAX.toSeconds() + " s; follower kill skipped",
              first,
              start));
      return;
    }
    events.add(event("ready again", first, start));
    sleepUntil(start + span * 5 / 8);
    if (System.currentTimeMillis() > end - span / 8) {
      events.add(
          event(
              "follower kill skipped: the restart took until near the end of the load",
              first,
              start));
      return;
    }
    String nowLeader = ctx.client().clusterStatus().getLeaderId();
    String follower =
        ctx.cluster().ids().stream()
            .filter(id -> !id.equals(nowLeader) && !id.equals(first))
            .findFirst()
            .orElseThrow();
    kill(ctx, follower, "follower", start, events);
    if (ctx.cluster().awaitReady(follower, BACK_MAX)) {
      events.add(event("ready again", follower, start));
    }
  }

  private static void kill(
      BenchContext ctx, String id, String role, long start, List<Map<String, Object>> events)
      throws Exception {
    ctx.cluster().kill(id);
    events.add(event("kill " + role, id, start));
    Thread.sleep(ctx.options().failoverDown.toMillis());
    ctx.cluster().start(id);
    events.add(event("restart", id, start));
  }

  private static Map<String, Object> event(String what, String node, long start) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("event", what);
    e.put("node", node);
    e.put("at_s", (System.currentTimeMillis() - start) / 1e3);
    return e;
  }

  private static void sleepUntil(long ms) throws InterruptedException {
    long wait = ms - System.currentTimeMillis();
    if (wait > 0) {
      Thread.sleep(wait);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Object o) {
    return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }
}
