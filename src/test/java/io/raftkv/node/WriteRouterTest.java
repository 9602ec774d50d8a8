package io.raftkv.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static io.raftkv.node.RaftLoopClusterTest.join;

import io.raftkv.kv.Condition;
import io.raftkv.kv.KvEntry;
import io.raftkv.kv.KvException;
import io.raftkv.kv.ReadConsistency;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link WriteRouter} on real Raft loops: writes wait for the next leader and are applied once. */
class WriteRouterTest {
  @TempDir Path dir;
  TestCluster cluster;

  @AfterEach
  void tearDown() {
    if (cluster != null) cluster.close();
  }

  @Test
  void aWriteSentToAFollowerRightAfterTheLeaderCrashedWaitsForTheNextLeader() throws Exception {
    cluster = new TestCluster(dir, 1L, 2L, 3L).startAll();
    TestCluster.TestNode old = cluster.awaitLeader();
    TestCluster.TestNode follower = cluster.aFollower();
    join(old.kv().put("before", "1", Condition.NONE));
    cluster.stop(old.id());
    assertThat(follower.loop().leaderId()).as("the follower still names the crashed leader").isEqualTo(old.id());

    KvEntry written = join(follower.kv().put("during-election", "2", Condition.NONE));

    assertThat(written.version()).isEqualTo(1);
    TestCluster.TestNode leader = cluster.awaitLeader();
    assertThat(leader.id()).isNotEqualTo(old.id());
    assertThat(join(leader.kv().get("during-election", ReadConsistency.LINEARIZABLE))).map(KvEntry::value).contains("2");
  }

  @Test
  void aForwardedWriteWhoseReplyWasLostIsSentAgainAndAppliedOnce() throws Exception {
    cluster = new TestCluster(dir, 1L, 2L, 3L).startAll();
    TestCluster.TestNode leader = cluster.awaitLeader();
    TestCluster.TestNode follower = cluster.aFollower();
    cluster.net.lostForwardReplies.set(1);

    KvEntry written = join(follower.kv().put("once", "v", Condition.NONE));

    assertThat(cluster.net.lostForwardReplies.get()).as("the reply was lost").isZero();
    assertThat(written.version()).as("the retry got the first apply's result").isEqualTo(1);
    KvEntry read = join(leader.kv().get("once", ReadConsistency.LINEARIZABLE)).orElseThrow();
    assertThat(read.version()).as("applied once, not twice").isEqualTo(1);
    assertThat(read.modRevision()).isEqualTo(written.modRevision());
  }

  @Test
  void withoutAQuorumAWriteStillFailsWithinAFewElectionTimeouts() throws Exception {
    cluster = new TestCluster(dir, 1L, 2L, 3L).startAll();
    TestCluster.TestNode leader = cluster.awaitLeader();
    TestCluster.TestNode survivor = cluster.aFollower();
    for (long id : cluster.nodes.keySet().stream().filter(id -> id != survivor.id()).toList()) cluster.stop(id);
    assertThat(leader.id()).isNotEqualTo(survivor.id());

    long began = System.nanoTime();
    // 503, or 504 once an attempt went to a leader that did not answer (it may have taken the write).
    assertThatThrownBy(() -> join(survivor.kv().put("no-quorum", "x", Condition.NONE)))
        .isInstanceOf(ExecutionException.class)
        .satisfies(e -> assertThat(e.getCause())
            .isInstanceOfAny(KvException.Unavailable.class, KvException.OutcomeUnknown.class));
    Duration took = Duration.ofNanos(System.nanoTime() - began);
    // Election timeout 500 ms in TestCluster: the write waits up to 3 x 500 ms for a leader, not the
    // whole 5 s request timeout, so the client can try elsewhere.
    assertThat(took).isLessThan(Duration.ofMillis(3_000));
  }
}
