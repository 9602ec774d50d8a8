package io.raftkv.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftkv.raft.Status.PeerProgress.State;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TrackerTest {

  @Test
  void majorityValueIsTheQuorumsSmallestAcknowledgement() {
    assertThat(Quorum.majorityValue(new long[] {5}, 1)).isEqualTo(5);
    assertThat(Quorum.majorityValue(new long[] {9, 1, 5}, 3)).isEqualTo(5);
    assertThat(Quorum.majorityValue(new long[] {9, 1, 5, 7}, 4)).isEqualTo(5);
    assertThat(Quorum.majorityValue(new long[] {9, 1, 5, 7, 8}, 5)).isEqualTo(7);
    assertThat(Quorum.majorityValue(new long[0], 0)).isZero();
  }

  @Test
  void voteTally() {
    long[] voters = {1, 2, 3, 4, 5};
    assertThat(Quorum.voteResult(voters, Map.of(1L, true, 2L, true))).isEqualTo(Quorum.VoteResult.PENDING);
    assertThat(Quorum.voteResult(voters, Map.of(1L, true, 2L, true, 3L, true))).isEqualTo(Quorum.VoteResult.WON);
    assertThat(Quorum.voteResult(voters, Map.of(1L, true, 2L, false, 3L, false, 4L, false)))
        .isEqualTo(Quorum.VoteResult.LOST);
    assertThat(Quorum.voteResult(voters, Map.of(9L, true, 8L, true, 1L, true))).isEqualTo(Quorum.VoteResult.PENDING);
    assertThat(Quorum.hasQuorum(new long[] {1, 2, 3}, Set.of(1L, 3L, 7L))).isTrue();
    assertThat(Quorum.hasQuorum(new long[] {1, 2, 3}, Set.of(1L, 7L))).isFalse();
  }

  @Test
  void inflightsIsABoundedRingFreedByAcknowledgement() {
    Inflights in = new Inflights(3);
    in.add(10);
    in.add(20);
    in.add(30);
    assertThat(in.full()).isTrue();
    in.freeLe(20);
    assertThat(in.count()).isEqualTo(1);
    in.add(40);
    in.add(50);
    assertThat(in.full()).isTrue();
    in.freeFirst();
    assertThat(in.count()).isEqualTo(2);
    in.freeLe(100);
    assertThat(in.count()).isZero();
  }

  @Test
  void progressStateMachine() {
    Progress p = new Progress(11, 2);
    assertThat(p.state).isEqualTo(State.PROBE);
    p.sentEntries(10, true);
    assertThat(p.isPaused()).isTrue(); // one probe at a time
    assertThat(p.maybeDecrTo(9, 3)).isFalse(); // stale rejection
    assertThat(p.maybeDecrTo(10, 3)).isTrue();
    assertThat(p.next).isEqualTo(4);
    assertThat(p.isPaused()).isFalse();
    assertThat(p.maybeUpdate(3)).isTrue();
    p.becomeReplicate();
    assertThat(p.next).isEqualTo(4);
    p.sentEntries(6, false);
    p.sentEntries(8, false);
    assertThat(p.isPaused()).isTrue(); // window of 2
    assertThat(p.maybeDecrTo(7, 0)).isTrue(); // rejection in REPLICATE: back to match + 1
    assertThat(p.next).isEqualTo(4);
    p.becomeSnapshot(50);
    assertThat(p.isPaused()).isTrue();
    p.becomeProbe();
    assertThat(p.next).isEqualTo(51); // resume after the snapshot
  }

  @Test
  void removedMembersKeepProgressOutsideQuorumsUntilPruned() {
    ProgressTracker t = new ProgressTracker(4);
    t.setConf(ConfState.ofVoters(1L, 2L, 3L), 5);
    t.get(1).match = 9;
    t.get(2).match = 9;
    t.setConf(ConfState.ofVoters(1L, 3L), 10);
    assertThat(t.get(2)).isNotNull();
    assertThat(t.committedIndex()).isZero(); // {1: 9, 3: 0}: majority of 2 needs both
    t.get(3).match = 7;
    assertThat(t.committedIndex()).isEqualTo(7);
    t.pruneNonMembers();
    assertThat(t.get(2)).isNull();
  }
}
