package io.horae.statemachine.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.horae.internal.v1.Command;
import io.horae.internal.v1.CommandResult;
import io.horae.internal.v1.Member;
import io.horae.internal.v1.Members;
import io.horae.internal.v1.Op;
import io.horae.internal.v1.PutMember;
import io.horae.internal.v1.RejectCode;
import io.horae.internal.v1.RemoveMember;
import io.horae.statemachine.core.Family;
import io.horae.statemachine.core.Keys;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replicated member records (addresses of members added at runtime) against a real RocksDB:
 * kept sorted by id whatever the order of puts, replaced by id, removed by id.
 */
class MemberRecordsTest {
  @TempDir Path tmp;
  private TempStore db;

  @BeforeEach
  void open() {
    db = new TempStore(tmp.resolve("db"));
  }

  @AfterEach
  void close() {
    db.close();
  }

  private static Member member(String id, int port) {
    return Member.newBuilder()
        .setId(id)
        .setRaftAddress("127.0.0.1:" + port)
        .setApiAddress("127.0.0.1:" + (port + 1))
        .build();
  }

  private static Command put(Member m) {
    return Command.newBuilder()
        .addOps(Op.newBuilder().setPutMember(PutMember.newBuilder().setMember(m)))
        .build();
  }

  private static Command remove(String id) {
    return Command.newBuilder()
        .addOps(Op.newBuilder().setRemoveMember(RemoveMember.newBuilder().setId(id)))
        .build();
  }

  private Members stored() throws Exception {
    return Members.parseFrom(db.store.get(Family.META, Keys.META_MEMBERS));
  }

  @Test
  void recordsAreKeptSortedByIdAndAPutWithAKnownIdReplacesIt() throws Exception {
    db.apply(put(member("n5", 100)));
    db.apply(put(member("n4", 200)));
    CommandResult r = db.apply(put(member("n5", 300).toBuilder().setLeaving(true).build()));

    assertThat(r.getResults(0).getMembers().getMembersList())
        .extracting(Member::getId)
        .containsExactly("n4", "n5");
    assertThat(stored().getMembersList())
        .containsExactly(member("n4", 200), member("n5", 300).toBuilder().setLeaving(true).build());
  }

  @Test
  void removeDropsTheRecordAndRefusesAnUnknownId() throws Exception {
    db.apply(put(member("n4", 200)));
    db.apply(put(member("n5", 100)));

    db.apply(remove("n4"));
    CommandResult again = db.apply(remove("n4"));

    assertThat(stored().getMembersList()).containsExactly(member("n5", 100));
    assertThat(again.getResults(0).getRejection().getCode()).isEqualTo(RejectCode.REJECT_NOT_FOUND);
  }

  @Test
  void aRecordWithoutAddressesIsRefusedAndNothingIsStored() {
    CommandResult r = db.apply(put(Member.newBuilder().setId("n4").build()));

    assertThat(r.getResults(0).getRejection().getCode()).isEqualTo(RejectCode.REJECT_INVALID);
    assertThat(db.store.get(Family.META, Keys.META_MEMBERS)).isNull();
  }
}
