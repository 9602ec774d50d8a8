package io.raftkv.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PeerGaugesTest {
  private final List<String> calls = new ArrayList<>();
  private final PeerGauges peers = new PeerGauges(p -> calls.add("+" + p), p -> calls.add("-" + p));

  @Test
  void registersNewFollowersOnceAndRemovesThoseNoLongerFollowed() {
    peers.sync(Set.of(2L, 3L));
    peers.sync(Set.of(2L, 3L));
    assertThat(calls).containsExactlyInAnyOrder("+2", "+3");
    calls.clear();
    peers.sync(Set.of(3L, 4L)); // member 2 removed, 4 added
    assertThat(calls).containsExactlyInAnyOrder("+4", "-2");
    calls.clear();
    peers.sync(Set.of()); // leadership lost: no follower gauges at all
    assertThat(calls).containsExactlyInAnyOrder("-3", "-4");
    assertThat(peers.registered()).isEmpty();
  }
}
