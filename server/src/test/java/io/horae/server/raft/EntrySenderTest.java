package io.horae.server.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.LeaderNotReadyException;
import org.apache.ratis.protocol.exceptions.LeaderSteppingDownException;
import org.apache.ratis.protocol.exceptions.NotLeaderException;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.junit.jupiter.api.Test;

/**
 * Which refusals of the local Raft server send an entry again through the Ratis client: only those
 * that say this node does not lead. Anything else (the state machine's refusal, no reply in time)
 * fails the entry's ops, whose outcome is then unknown, as through the client.
 */
class EntrySenderTest {
  private static final RaftGroupMemberId SELF =
      RaftGroupMemberId.valueOf(RaftPeerId.valueOf("n1"), RaftGroupId.randomId());

  @Test
  void anEntryRefusedBecauseThisNodeDoesNotLeadGoesThroughTheClient() {
    assertThat(EntrySender.notLeading(null, new NotLeaderException(SELF, null, List.of())))
        .isTrue();
    assertThat(
            EntrySender.notLeading(
                null, new CompletionException(new LeaderNotReadyException(SELF))))
        .isTrue();
    assertThat(
            EntrySender.notLeading(
                null, new CompletionException(new LeaderSteppingDownException("stepping down"))))
        .isTrue();
  }

  @Test
  void anyOtherFailureIsTheEntrysOwn() {
    assertThat(EntrySender.notLeading(null, new TimeoutException())).isFalse();
    assertThat(
            EntrySender.notLeading(
                null,
                new CompletionException(
                    new StateMachineException(SELF, new IllegalStateException("bad")))))
        .isFalse();
    assertThat(EntrySender.notLeading(null, null)).isFalse();
  }
}
