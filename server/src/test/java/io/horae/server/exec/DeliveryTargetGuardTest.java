package io.horae.server.exec;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.horae.api.v1.Job;
import io.horae.api.v1.Target;
import io.horae.internal.v1.AttemptResult;
import io.horae.server.cluster.LoopbackNames;
import io.horae.server.cluster.Receiver;
import io.horae.server.egress.TargetAllowlist;
import io.horae.server.egress.TargetGuard;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The target guard on the real delivery path: real OkHttp against a real receiver on 127.0.0.1.
 * Test names resolve through {@link LoopbackNames} to loopback addresses only, which the guard
 * denies unless allowed, so nothing here can leave the machine even with the guard broken. A
 * refused request reaches no one, fails as permanent and is not retried; allowed ones arrive.
 */
class DeliveryTargetGuardTest {
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final LoopbackNames names =
      new LoopbackNames(
          Map.of(
              "denied.test",
              List.of("127.0.0.1"),
              "v6.test",
              List.of("::1"),
              "hooks.test",
              List.of("127.0.0.1")));
  Receiver receiver;

  @BeforeEach
  void start() throws Exception {
    receiver = new Receiver();
  }

  @AfterEach
  void stop() {
    receiver.close();
  }

  Outcome send(String allow, String url) throws Exception {
    TargetGuard guard = new TargetGuard(TargetAllowlist.parse(allow), names, registry);
    try (Delivery d =
        new Delivery("n1", TestExecConfig.with(), Clock.systemUTC(), c -> FenceCheck.GO, guard)) {
      Job job =
          Job.newBuilder()
              .setName("j")
              .setTarget(Target.newBuilder().setUrl(url).setBody(ByteString.copyFromUtf8("{}")))
              .build();
      return d.send(job, new Held("default/j@1", "default", "j", 1, 1, 1, 0, 1))
          .get(20, TimeUnit.SECONDS);
    }
  }

  String at(String host, String path) {
    return "http://" + host + ":" + receiver.port() + path;
  }

  @Test
  void aNameResolvingToLoopbackIsRefusedBeforeAnyConnectionAndIsNotRetried() throws Exception {
    Outcome o = send("", at("denied.test", "/a?token=hidden"));

    assertThat(o.errorClass()).isEqualTo(Outcome.TARGET_REFUSED);
    assertThat(o.permanent()).isTrue();
    assertThat(o.error())
        .isEqualTo(
            "target refused: denied.test resolves to a loopback address; not in this node's webhook.targetAllow");
    assertThat(receiver.arrivals()).isEmpty();
    AttemptResult r =
        new Attempts(
                "n1",
                TestExecConfig.with(),
                new Backoff(TestExecConfig.with(), new SplittableRandom(1)))
            .result(job(), held(), o, 1_000);
    assertThat(r.getRetryAtMs()).isZero();
    assertThat(r.getError())
        .endsWith("; not retried")
        .doesNotContain("hidden")
        .doesNotContain("127.0.0.1");
    assertThat(HostGuard.failure(o)).as("counts against the host").isFalse();
  }

  @Test
  void aNameResolvingToIpv6LoopbackIsRefused() throws Exception {
    assertThat(send("", at("v6.test", "/b")).error())
        .contains("v6.test resolves to a loopback address");
    assertThat(receiver.arrivals()).isEmpty();
  }

  @Test
  void aLoopbackLiteralIsRefusedWithoutAskingTheResolver() throws Exception {
    assertThat(send("", at("127.0.0.1", "/c")).error())
        .isEqualTo(
            "target refused: 127.0.0.1 is a loopback address; not in this node's webhook.targetAllow");
    assertThat(send("", at("[::1]", "/c")).errorClass()).isEqualTo(Outcome.TARGET_REFUSED);
    assertThat(send("127.0.0.1/32", at("127.1", "/c")).error())
        .contains("127.1 is no plain IP address");
    assertThat(names.lookups()).isZero();
    assertThat(receiver.arrivals()).isEmpty();
    assertThat(
            registry
                .get(TargetGuard.REFUSED_METRIC)
                .tag("reason", "loopback")
                .tag("stage", "connect")
                .counter()
                .count())
        .isEqualTo(2);
  }

  @Test
  void anAllowlistedNameIsDeliveredAndOnlyThatName() throws Exception {
    assertThat(send("hooks.test", at("hooks.test", "/d")).succeeded()).isTrue();
    assertThat(send("hooks.test", at("denied.test", "/d")).errorClass())
        .isEqualTo(Outcome.TARGET_REFUSED);
    assertThat(send("hooks.test", at("127.0.0.1", "/d")).errorClass())
        .isEqualTo(Outcome.TARGET_REFUSED);
    assertThat(receiver.deliveries()).extracting(Receiver.Delivery::path).containsExactly("/d");
  }

  @Test
  void anAllowlistedNetworkLetsItsLiteralsAndTheNamesResolvingIntoItThrough() throws Exception {
    assertThat(send("127.0.0.1/32", at("127.0.0.1", "/e")).succeeded()).isTrue();
    assertThat(send("127.0.0.1/32", at("denied.test", "/e")).succeeded()).isTrue();
    assertThat(send("127.0.0.1/32", at("v6.test", "/e")).errorClass())
        .isEqualTo(Outcome.TARGET_REFUSED);
    assertThat(receiver.deliveries()).hasSize(2);
  }

  @Test
  void aRedirectIsTheAnswerAndIsNeverFollowed() throws Exception {
    receiver.redirect(307, at("127.0.0.1", "/landing"));

    Outcome o = send("127.0.0.1/32", at("127.0.0.1", "/start"));

    assertThat(o.httpStatus()).isEqualTo(307);
    assertThat(receiver.arrivals()).extracting(Receiver.Delivery::path).containsExactly("/start");
  }

  static Job job() {
    return Job.newBuilder()
        .setName("j")
        .setTarget(Target.newBuilder().setUrl("http://denied.test/"))
        .build();
  }

  static Held held() {
    return new Held("default/j@1", "default", "j", 1, 1, 1, 0, 1);
  }
}
