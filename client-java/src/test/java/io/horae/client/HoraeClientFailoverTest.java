package io.horae.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Client-side failover: a call that meets UNAVAILABLE moves to the next endpoint, at most once per
 * endpoint, and a create repeated that way carries the same request id. "Down" is either a closed
 * loopback port (connection refused) or a live fake node that answers UNAVAILABLE.
 */
class HoraeClientFailoverTest {
  private final FakeHoraeServer first = FakeHoraeServer.start();
  private final FakeHoraeServer second = FakeHoraeServer.start();

  @AfterEach
  void tearDown() {
    first.close();
    second.close();
  }

  @Test
  void aCallFailsOverToTheSecondEndpointWhenTheFirstPortIsClosed() {
    try (HoraeClient client =
        HoraeClient.builder()
            .endpoints(List.of(FakeHoraeServer.closedEndpoint(), second.endpoint()))
            .build()) {
      assertThat(client.get("", "a").getName()).isEqualTo("a");
      assertThat(client.get("", "b").getName()).isEqualTo("b");
    }
    assertThat(second.gets).hasSize(2);
  }

  @Test
  void theEndpointThatAnsweredStaysCurrentForLaterCalls() {
    first.onGet =
        r -> {
          throw FakeHoraeServer.unavailable();
        };
    try (HoraeClient client =
        HoraeClient.builder().endpoints(first.endpoint() + "," + second.endpoint()).build()) {
      client.get("", "a");
      client.get("", "b");
    }
    assertThat(first.gets).hasSize(1);
    assertThat(second.gets).hasSize(2);
  }

  @Test
  void aCreateRepeatedOnTheNextEndpointCarriesTheSameGeneratedRequestId() {
    first.onCreate =
        r -> {
          throw FakeHoraeServer.unavailable();
        };
    try (HoraeClient client =
        HoraeClient.builder().endpoints(List.of(first.endpoint(), second.endpoint())).build()) {
      client.create(HoraeClientTest.job("a"));
    }
    String firstId = first.creates.get(0).getRequestId();
    assertThat(firstId).isNotBlank();
    assertThat(second.creates.get(0).getRequestId()).isEqualTo(firstId);
  }

  @Test
  void whenEveryEndpointIsDownEachIsTriedOnceAndTheCallIsUnavailable() {
    first.onGet =
        r -> {
          throw FakeHoraeServer.unavailable();
        };
    second.onGet = first.onGet;
    try (HoraeClient client =
        HoraeClient.builder()
            .endpoints(
                List.of(first.endpoint(), FakeHoraeServer.closedEndpoint(), second.endpoint()))
            .build()) {
      assertThatThrownBy(() -> client.get("", "a"))
          .isInstanceOf(UnavailableException.class)
          .hasMessageContaining("not serving");
    }
    assertThat(first.gets).hasSize(1);
    assertThat(second.gets).hasSize(1);
  }

  @Test
  void aClosedPortAloneGivesUnavailableWithTheTransportCause() {
    try (HoraeClient client =
        HoraeClient.builder().endpoints(FakeHoraeServer.closedEndpoint()).build()) {
      assertThatThrownBy(() -> client.clusterStatus())
          .isInstanceOf(UnavailableException.class)
          .satisfies(
              e -> assertThat(((HoraeException) e).code()).isEqualTo(Status.Code.UNAVAILABLE));
    }
  }

  @Test
  void errorsOtherThanUnavailableAreNotRetriedElsewhere() {
    first.onGet =
        r -> {
          throw Status.NOT_FOUND.asRuntimeException();
        };
    try (HoraeClient client =
        HoraeClient.builder().endpoints(List.of(first.endpoint(), second.endpoint())).build()) {
      assertThatThrownBy(() -> client.get("", "a")).isInstanceOf(NotFoundException.class);
    }
    assertThat(second.gets).isEmpty();
  }
}
