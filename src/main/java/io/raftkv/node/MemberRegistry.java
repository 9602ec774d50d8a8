package io.raftkv.node;

import io.raftkv.raft.ConfChange;
import io.raftkv.raft.ConfState;
import io.raftkv.raft.Role;
import io.raftkv.raft.Status;
import io.raftkv.transport.PeerTransport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The membership as of the applied index (needed for snapshot metadata, and the committed view that
 * {@code GET /cluster} and membership answers report), the learners that joined to become voters, and
 * the address book, kept in step as membership entries apply: addresses are stored durably and the
 * transport is re-pointed. Loop thread only, except the volatile views and the book's readers.
 */
final class MemberRegistry {
  /** A removed member still reachable until it acknowledged the commit of its removal, or until a deadline. */
  private record Departing(String peer, long deadlineNanos) {}

  private final AddressBook book;
  private final RaftStorage storage;
  private final PeerTransport transport;
  private final long departGraceNanos;
  private final Map<Long, Departing> departing = new HashMap<>();
  private volatile ConfState appliedConf;
  /** Learners added to become voters (the context said so) → index of the entry that added them. */
  private volatile Map<Long, Long> joining = Map.of();

  MemberRegistry(AddressBook book, RaftStorage storage, PeerTransport transport, ConfState initial,
      Duration departGrace) {
    this.book = book;
    this.storage = storage;
    this.transport = transport;
    this.appliedConf = initial;
    this.departGraceNanos = departGrace.toNanos();
  }

  AddressBook book() {
    return book;
  }

  ConfState appliedConf() {
    return appliedConf;
  }

  /**
   * Applied learners that joined to become voters, with the index of their learner entry. Replicated
   * state, so a new leader knows of a promotion its predecessor left unfinished.
   */
  Map<Long, Long> joining() {
    return joining;
  }

  /**
   * A snapshot replaced the state: its membership becomes the applied membership, and the addresses it
   * carried join the book. A learner whose replicated text marks it as joining is still joining.
   */
  void reset(ConfState conf, StateMachine stateMachine) {
    appliedConf = conf;
    Map<Long, Long> stillJoining = new HashMap<>();
    Map<Long, String> texts = stateMachine.memberAddresses();
    for (long id : conf.learners()) {
      if (AddressBook.marksJoiningAsVoter(texts.get(id))) {
        stillJoining.put(id, stateMachine.appliedIndex());
      }
    }
    joining = Map.copyOf(stillJoining);
    book.mergeStored(texts);
    publish();
  }

  /** The membership entry at {@code index} was committed and is applied now. */
  void apply(long index, ConfChange cc) {
    appliedConf = applyTo(appliedConf, cc);
    Map<Long, Long> j = new HashMap<>(joining);
    j.remove(cc.nodeId());
    if (cc.type() == ConfChange.Type.ADD_LEARNER
        && AddressBook.marksJoiningAsVoter(new String(cc.context(), StandardCharsets.UTF_8))) {
      j.put(cc.nodeId(), index);
    }
    joining = Map.copyOf(j);
    if (cc.type() == ConfChange.Type.REMOVE_NODE) {
      AddressBook.Member m = book.get(cc.nodeId());
      if (m != null && m.peer() != null && cc.nodeId() != book.self()) {
        departing.put(cc.nodeId(), new Departing(m.peer(), System.nanoTime() + departGraceNanos));
      }
      book.remove(cc.nodeId());
    } else {
      departing.remove(cc.nodeId());
      book.learn(cc.nodeId(), cc.context());
    }
    publish();
  }

  private static ConfState applyTo(ConfState conf, ConfChange cc) {
    Set<Long> voters = new HashSet<>(conf.voters());
    Set<Long> learners = new HashSet<>(conf.learners());
    switch (cc.type()) {
      case ADD_VOTER -> {
        learners.remove(cc.nodeId());
        voters.add(cc.nodeId());
      }
      case ADD_LEARNER -> {
        voters.remove(cc.nodeId());
        learners.add(cc.nodeId());
      }
      case REMOVE_NODE -> {
        voters.remove(cc.nodeId());
        learners.remove(cc.nodeId());
      }
    }
    return new ConfState(voters, learners);
  }

  /**
   * Closes the connection to removed members once it is no longer needed. The leader keeps sending to
   * a removed member until it acknowledged the commit of its removal (the core then stops tracking
   * it); closing at apply time instead would drop the very message that carries that commit, and the
   * removed node would never learn it was removed. Other roles never need it. Bounded by the grace.
   */
  void releaseDeparted(Status s, long nowNanos) {
    if (departing.isEmpty()) return;
    boolean changed = departing.entrySet().removeIf(e -> s.role() != Role.LEADER
        || !s.progress().containsKey(e.getKey()) || nowNanos - e.getValue().deadlineNanos() >= 0);
    if (changed) transport.updatePeers(peers());
  }

  /** Stores the book and points the transport at it (and at removed members not yet released). */
  void publish() {
    storage.saveMembers(book.toStored());
    transport.updatePeers(peers());
  }

  private Map<Long, String> peers() {
    Map<Long, String> peers = new HashMap<>(book.peersExceptSelf());
    departing.forEach((id, d) -> peers.putIfAbsent(id, d.peer()));
    return peers;
  }
}
