package io.raftkv.kv;

import io.raftkv.node.MemberAwareStateMachine;
import io.raftkv.raft.ConfChange;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/** Presents a {@link KvStateMachine} (which replicates the address book) to the loop as member-aware. */
public final class MembershipAwareKvStateMachine implements MemberAwareStateMachine {
  private final KvStateMachine delegate;

  public MembershipAwareKvStateMachine(KvStateMachine delegate) {
    this.delegate = delegate;
  }

  @Override
  public byte[] apply(long index, byte[] command) {
    return delegate.apply(index, command);
  }

  @Override
  public void applyNoop(long index) {
    delegate.applyNoop(index);
  }

  @Override
  public void applyMemberChange(long index, ConfChange change) {
    delegate.applyMemberChange(index, change);
  }

  @Override
  public Map<Long, String> memberAddresses() {
    return delegate.members();
  }

  @Override
  public long appliedIndex() {
    return delegate.appliedIndex();
  }

  @Override
  public SnapshotWriter captureSnapshot() {
    return delegate.captureSnapshot();
  }

  @Override
  public void restore(InputStream in) throws IOException {
    delegate.restore(in);
  }
}
