package io.horae.server.member;

import com.google.protobuf.InvalidProtocolBufferException;
import io.horae.internal.v1.Member;
import io.horae.internal.v1.Members;
import io.horae.server.config.HostPort;
import io.horae.server.config.PeerConfig;
import io.horae.statemachine.core.Family;
import io.horae.statemachine.core.Keys;
import io.horae.statemachine.core.StoreReader;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.server.RaftConfiguration;

/**
 * Who the members are and where they listen (docs/failover.md, "Membership").
 *
 * <p>The Raft configuration is the truth for who votes and who may own shards. Addresses come from
 * the replicated member records (meta "members", written by PutMember before a node is added, so
 * every replica and every snapshot has them) and, for members that have no record (the founding
 * members), from this node's config. Reads are local and cheap: one RocksDB point read.
 */
public final class MemberDirectory {
  private final Supplier<RaftConfiguration> conf;
  private final Supplier<? extends StoreReader> store;
  private final Map<String, PeerConfig> configured;

  public MemberDirectory(
      Supplier<RaftConfiguration> conf,
      Supplier<? extends StoreReader> store,
      List<PeerConfig> configured) {
    this.conf = conf;
    this.store = store;
    this.configured =
        configured.stream()
            .collect(Collectors.toUnmodifiableMap(PeerConfig::id, Function.identity()));
  }

  /** Ids of the voting members of the current Raft configuration, sorted; empty before joining. */
  public List<String> voters() {
    return raftPeers().stream().map(p -> p.getId().toString()).sorted().toList();
  }

  /** The current configuration's voting peers with their Raft addresses. */
  public Collection<RaftPeer> raftPeers() {
    try {
      RaftConfiguration c = conf.get();
      return c == null ? List.of() : c.getCurrentPeers();
    } catch (RuntimeException e) {
      return List.of(); // The Raft server is not up (yet, or any more).
    }
  }

  /**
   * The node ids another node may connect as (docs/security.md, "Who is a member"): the voters of
   * the current and, during a change, the previous Raft configuration, plus the replicated member
   * records (a node being added has one before the configuration names it). Before this node has a
   * configuration (join mode, first start) its config's peers stand in.
   */
  public Set<String> acceptedPeerIds() {
    Set<String> ids = new TreeSet<>();
    try {
      RaftConfiguration c = conf.get();
      if (c != null) {
        c.getAllPeers().forEach(p -> ids.add(p.getId().toString()));
      }
    } catch (RuntimeException e) {
      // The Raft server is not up (yet, or any more): no configuration to read.
    }
    if (ids.isEmpty()) {
      ids.addAll(configured.keySet());
    }
    records().getMembersList().forEach(m -> ids.add(m.getId()));
    return ids;
  }

  /** Members marked leaving by RemoveNode: they get no shards and theirs move away. */
  public Set<String> leaving() {
    return records().getMembersList().stream()
        .filter(Member::getLeaving)
        .map(Member::getId)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** The member's addresses: its replicated record, else this node's config; empty if unknown. */
  public Optional<Member> member(String id) {
    for (Member m : records().getMembersList()) {
      if (m.getId().equals(id)) {
        return Optional.of(m);
      }
    }
    PeerConfig p = configured.get(id);
    if (p == null) {
      return Optional.empty();
    }
    return Optional.of(
        Member.newBuilder()
            .setId(id)
            .setRaftAddress(p.raft().toString())
            .setApiAddress(p.api().toString())
            .setAdminAddress(p.admin().toString())
            .setInternalAddress(p.internal().toString())
            .build());
  }

  /** Where the member serves the gRPC API, if known. */
  public Optional<HostPort> api(String id) {
    return member(id).map(m -> HostPort.parse(m.getApiAddress()));
  }

  /** Where the member serves the internal node-to-node API, if known. */
  public Optional<HostPort> internal(String id) {
    return member(id)
        .map(Member::getInternalAddress)
        .filter(a -> !a.isEmpty())
        .map(HostPort::parse);
  }

  /** The replicated records; empty before the first membership change. */
  public Members records() {
    StoreReader s = store.get();
    byte[] bytes = s == null ? null : s.get(Family.META, Keys.META_MEMBERS);
    if (bytes == null) {
      return Members.getDefaultInstance();
    }
    try {
      return Members.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("stored member records do not parse", e);
    }
  }
}
