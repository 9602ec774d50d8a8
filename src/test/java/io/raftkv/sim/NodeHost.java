package io.raftkv.sim;

import io.raftkv.raft.ConfChange;
import io.raftkv.raft.Message;

/** What a {@link SimNode} needs from the cluster around it. */
interface NodeHost {

  long now();

  /** Puts a message on the virtual network; false if it was lost because the link is cut. */
  boolean send(Message m, byte[] snapshotData);

  SafetyChecker safety();

  Iterable<SimNode> liveNodes();

  /** A node applied a committed membership change. */
  void onConfApplied(long node, long index, ConfChange change);

  Trace trace();

  /** A node applied a client command; the first apply anywhere bounds when the write took effect. */
  void onCommandApplied(SimStateMachine.Command command, KvOp.Result result);

  /** The run's history (a node's expiry ticker records its proposals there). */
  History history();

  /** Counts a notable event for the run's statistics. */
  void count(String event);
}
