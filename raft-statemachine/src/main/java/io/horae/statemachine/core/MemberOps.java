package io.horae.statemachine.core;

import io.horae.internal.v1.Member;
import io.horae.internal.v1.Members;
import io.horae.internal.v1.OpResult;
import io.horae.internal.v1.PutMember;
import io.horae.internal.v1.RejectCode;
import io.horae.internal.v1.RemoveMember;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The replicated member records (addresses and the leaving flag). Kept sorted by id, so the stored
 * bytes depend only on the sequence of ops. Who votes is the Raft configuration's business; these
 * records say where members listen, so every replica (and a snapshot) knows nodes added at runtime.
 */
final class MemberOps {
  /** A sanity bound far above any Raft group size; protects the single meta record. */
  static final int MEMBERS_MAX = 64;

  private MemberOps() {}

  static OpResult put(State state, PutMember op) {
    Member m = op.getMember();
    if (m.getId().isEmpty() || m.getRaftAddress().isEmpty() || m.getApiAddress().isEmpty()) {
      return Results.reject(
          RejectCode.REJECT_INVALID, "a member needs an id, a raft and an api address");
    }
    List<Member> all =
        new ArrayList<>(state.members().orElse(Members.getDefaultInstance()).getMembersList());
    all.removeIf(x -> x.getId().equals(m.getId()));
    if (all.size() >= MEMBERS_MAX) {
      return Results.reject(
          RejectCode.REJECT_INVALID, "at most " + MEMBERS_MAX + " member records");
    }
    all.add(m);
    return store(state, all);
  }

  static OpResult remove(State state, RemoveMember op) {
    List<Member> all =
        new ArrayList<>(state.members().orElse(Members.getDefaultInstance()).getMembersList());
    if (!all.removeIf(x -> x.getId().equals(op.getId()))) {
      return Results.reject(RejectCode.REJECT_NOT_FOUND, "no member record " + op.getId());
    }
    return store(state, all);
  }

  private static OpResult store(State state, List<Member> all) {
    all.sort(Comparator.comparing(Member::getId));
    Members members = Members.newBuilder().addAllMembers(all).build();
    state.putMembers(members);
    return OpResult.newBuilder().setMembers(members).build();
  }
}
