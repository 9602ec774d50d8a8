package io.raftkv.node;

import io.raftkv.raft.ConfChange;
import io.raftkv.raft.ConfState;
import io.raftkv.transport.PeerTransport;
import java.util.HashSet;
import java.util.Set;

/**
 * The membership as of the applied index (needed for snapshot metadata) and the address book, kept
 * in step as membership entries apply: addresses are stored durably and the transport is re-pointed.
 * Loop thread only, except {@link #appliedConf()} and the book's readers.
 */
final class MemberRegistry {
  private final AddressBook book;
  private final RaftStorage storage;
  private final PeerTransport transport;
  private volatile ConfState appliedConf;

  MemberRegistry(AddressBook book, RaftStorage storage, PeerTransport transport, ConfState initial) {
    this.book = book;
    this.storage = storage;
    this.transport = transport;
    this.appliedConf = initial;
  }

  AddressBook book() {
    return book;
  }

  ConfState appliedConf() {
    return appliedConf;
  }

  /**
   * A snapshot replaced the state: its membership becomes the applied membership, and the addresses it
   * carried join the book.
   */
  void reset(ConfState conf, StateMachine stateMachine) {
    appliedConf = conf;
    book.mergeStored(stateMachine.memberAddresses());
    publish();
  }

  void apply(ConfChange cc) {
    Set<Long> voters = new HashSet<>(appliedConf.voters());
    Set<Long> learners = new HashSet<>(appliedConf.learners());
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
    appliedConf = new ConfState(voters, learners);
    if (cc.type() == ConfChange.Type.REMOVE_NODE) {
      book.remove(cc.nodeId());
    } else {
      book.learn(cc.nodeId(), cc.context());
    }
    publish();
  }

  /** Stores the book and points the transport at it. */
  void publish() {
    storage.saveMembers(book.toStored());
    transport.updatePeers(book.peersExceptSelf());
  }
}
