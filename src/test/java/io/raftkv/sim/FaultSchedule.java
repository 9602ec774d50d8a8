package io.raftkv.sim;

import io.raftkv.raft.ConfChange;
import io.raftkv.raft.ConfState;
import io.raftkv.raft.ProposalRejectedException;
import io.raftkv.raft.Status;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.random.RandomGenerator;

/**
 * Decides, step by step during the fault phase, what goes wrong: crashes (at once or part-way through
 * a Ready), restarts, symmetric and one-way partitions, heals, snapshots with log compaction,
 * membership changes and leadership transfers. All choices come from the run's random generator.
 */
final class FaultSchedule {

  private final Scenario sc;
  private final RandomGenerator random;
  private final SimCluster cluster;
  private final Map<String, Integer> counts = new TreeMap<>();
  /** The leader's last index right after it appended each node's addition (the entry's index). */
  private final Map<Long, Long> addedAt = new HashMap<>();

  FaultSchedule(Scenario sc, RandomGenerator random, SimCluster cluster) {
    this.sc = sc;
    this.random = random;
    this.cluster = cluster;
  }

  /** How many faults of each kind were injected. */
  Map<String, Integer> counts() {
    return counts;
  }

  private void count(String kind) {
    counts.merge(kind, 1, Integer::sum);
  }

  void inject() {
    if (chance(sc.crashRate)) crashOne();
    for (SimNode n : cluster.downNodes()) {
      if (chance(sc.restartRate)) cluster.restart(n);
    }
    if (chance(sc.partitionRate)) partition();
    if (chance(sc.healRate) && cluster.network().hasCuts()) {
      count("heal");
      cluster.network().healAll();
      cluster.log("network heals");
    }
    if (chance(sc.snapshotRate)) {
      SimNode n = pick(cluster.upNodes());
      if (n != null && n.takeSnapshot(sc.logRetain)) count("snapshot+compaction");
    }
    if (chance(sc.membershipRate)) changeMembership();
    if (chance(sc.transferRate)) transferLeadership();
  }

  private boolean chance(double p) {
    return random.nextDouble() < p;
  }

  private <T> T pick(List<T> xs) {
    return xs.isEmpty() ? null : xs.get(random.nextInt(xs.size()));
  }

  private void crashOne() {
    SimNode n = pick(cluster.upNodes());
    if (n == null) return;
    if (random.nextBoolean()) {
      count("crash");
      cluster.crash(n);
    } else {
      count("crash during Ready");
      SimNode.CrashPoint[] points = SimNode.CrashPoint.values();
      SimNode.CrashPoint p = points[random.nextInt(points.length)];
      n.armCrash(p);
      cluster.log("node " + n.id() + " will crash " + p);
    }
  }

  private void partition() {
    List<Long> ids = cluster.memberIds();
    if (ids.size() < 2) return;
    SimNetwork net = cluster.network();
    SimNode leader = cluster.leader();
    // Half the time cut off the leader: the classic way to get two nodes that both believe they lead.
    long victim = leader != null && random.nextBoolean() ? leader.id() : pick(ids);
    switch (random.nextInt(5)) {
      case 0 -> {
        count("partition: isolate");
        net.partition(Set.of(victim), new HashSet<>(ids));
        cluster.log("partition isolates " + victim);
      }
      case 1 -> {
        Set<Long> side = new HashSet<>();
        for (long id : ids) if (random.nextBoolean()) side.add(id);
        count("partition: split");
        net.partition(side, new HashSet<>(ids));
        cluster.log("partition splits off " + side);
      }
      case 2 -> {
        count("one-way: mute");
        for (long id : ids) if (id != victim) net.cut(victim, id);
        cluster.log("one-way: " + victim + " cannot send");
      }
      case 3 -> {
        count("one-way: deafen");
        for (long id : ids) if (id != victim) net.cut(id, victim);
        cluster.log("one-way: " + victim + " cannot receive");
      }
      default -> {
        long other = pick(ids);
        if (other == victim) return;
        count("one-way: link");
        net.cut(victim, other);
        cluster.log("one-way: link " + victim + "->" + other + " cut");
      }
    }
  }

  /**
   * Membership changes the way production makes them (docs/membership.md, LearnerPromotions): a new
   * node joins as a learner and is promoted to voter once caught up. A brand-new node is added straight
   * as a voter, or a lagging learner promoted, only where replication pipelines deeply
   * ({@link Scenario#fastCatchUp()}): with one entry per message and one message in flight, an empty
   * voter that every commit needs stalls the cluster for hundreds of steps (sim seed 3005032), a state
   * no operator following the docs creates.
   */
  private void changeMembership() {
    SimNode leader = cluster.leader();
    if (leader == null) return;
    ConfState conf = leader.core().status().conf();
    List<Long> voters = new ArrayList<>(new TreeSet<>(conf.voters()));
    List<Long> learners = new ArrayList<>(new TreeSet<>(conf.learners()));
    int members = voters.size() + learners.size();
    try {
      if (!learners.isEmpty() && random.nextBoolean()) {
        promote(leader, pick(learners));
      } else if (members < sc.nodes + 2 && (voters.size() <= sc.nodes || random.nextBoolean())) {
        long id = cluster.nextNodeId();
        boolean direct = random.nextBoolean() && sc.fastCatchUp();
        ConfChange.Type type = direct ? ConfChange.Type.ADD_VOTER : ConfChange.Type.ADD_LEARNER;
        leader.core().proposeConfChange(new ConfChange(type, id, null));
        addedAt.put(id, leader.core().status().lastIndex());
        cluster.addNode(id);
        cluster.log("propose " + type + " " + id);
        count("membership: " + type);
      } else if (members > 1) {
        long id = pick(random.nextInt(4) == 0 ? learnersOrVoters(learners, voters) : voters);
        if (voters.size() == 1 && voters.contains(id)) return;
        leader.core().proposeConfChange(new ConfChange(ConfChange.Type.REMOVE_NODE, id, null));
        cluster.log("propose remove " + id);
        count("membership: REMOVE_NODE");
      }
    } catch (ProposalRejectedException e) {
      cluster.log("membership change rejected: " + e.getMessage());
    }
  }

  private void promote(SimNode leader, long id) {
    if (!caughtUp(leader.core().status(), id) && !sc.fastCatchUp()) {
      cluster.log("promotion of " + id + " waits: learner not caught up");
      count("membership: promotion waits for catch-up");
      return;
    }
    leader.core().proposeConfChange(new ConfChange(ConfChange.Type.ADD_VOTER, id, null));
    cluster.log("propose promote " + id);
    count("membership: promote learner");
  }

  /**
   * LearnerPromotions' rule, with the lag scaled to the scenario: the learner holds the entry that added
   * it and is within {@link Scenario#promotionLag()} entries of the leader's commit index.
   */
  private boolean caughtUp(Status st, long id) {
    Status.PeerProgress p = st.progress().get(id);
    long addIndex = addedAt.getOrDefault(id, 1L);
    return p != null && p.match() >= addIndex && p.match() >= st.commitIndex() - sc.promotionLag();
  }

  private static List<Long> learnersOrVoters(List<Long> learners, List<Long> voters) {
    return learners.isEmpty() ? voters : learners;
  }

  private void transferLeadership() {
    SimNode leader = cluster.leader();
    if (leader == null) return;
    List<Long> voters = new ArrayList<>(new TreeSet<>(leader.core().status().conf().voters()));
    voters.remove(leader.id());
    Long to = pick(voters);
    if (to == null) return;
    try {
      leader.core().transferLeadership(to);
      count("leadership transfer");
      cluster.log("transfer leadership " + leader.id() + " -> " + to);
    } catch (ProposalRejectedException e) {
      cluster.log("transfer rejected: " + e.getMessage());
    }
  }
}
