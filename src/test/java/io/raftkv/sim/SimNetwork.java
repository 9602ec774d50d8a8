package io.raftkv.sim;

import io.raftkv.raft.Message;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The virtual network: every message gets a delivery time; it may be dropped, duplicated or delayed
 * long enough to overtake later messages. Links can be cut in one direction (one-way partition) or both.
 * Deliveries at the same time happen in send order, so a run is fully determined by its seed.
 */
final class SimNetwork {

  /** How unreliable the network is; all delays in simulation steps. */
  record Profile(double dropRate, double duplicateRate, int minDelay, int maxDelay,
                 double slowRate, int slowMaxDelay) {
    static final Profile RELIABLE = new Profile(0, 0, 1, 2, 0, 2);
  }

  /** A message in flight; {@code snapshotData} rides beside SNAPSHOT messages. */
  record Packet(long deliverAt, long seq, Message message, byte[] snapshotData) {}

  private final RandomGenerator random;
  private final PriorityQueue<Packet> inFlight = new PriorityQueue<>(
      Comparator.comparingLong(Packet::deliverAt).thenComparingLong(Packet::seq));
  private final Set<Long> cutLinks = new HashSet<>();
  private Profile profile;
  private long seq;
  private long sent;
  private long dropped;
  private long duplicated;

  SimNetwork(RandomGenerator random, Profile profile) {
    this.random = random;
    this.profile = profile;
  }

  void setProfile(Profile p) {
    profile = p;
  }

  /** Queues a message; returns false if the network lost it at once (the sender may be told). */
  boolean send(Message m, byte[] snapshotData, long now) {
    sent++;
    if (isCut(m.from(), m.to()) || random.nextDouble() < profile.dropRate()) {
      dropped++;
      return false;
    }
    enqueue(m, snapshotData, now);
    if (random.nextDouble() < profile.duplicateRate()) {
      duplicated++;
      enqueue(m, snapshotData, now);
    }
    return true;
  }

  private void enqueue(Message m, byte[] snapshotData, long now) {
    int delay = random.nextDouble() < profile.slowRate()
        ? random.nextInt(profile.minDelay(), profile.slowMaxDelay() + 1)
        : random.nextInt(profile.minDelay(), profile.maxDelay() + 1);
    inFlight.add(new Packet(now + delay, seq++, m, snapshotData));
  }

  /** Removes and returns the packets due at {@code now}; a link cut while in flight loses them too. */
  List<Packet> due(long now) {
    List<Packet> out = new ArrayList<>();
    while (!inFlight.isEmpty() && inFlight.peek().deliverAt() <= now) {
      Packet p = inFlight.poll();
      if (isCut(p.message().from(), p.message().to())) {
        dropped++;
      } else {
        out.add(p);
      }
    }
    return out;
  }

  void cut(long from, long to) {
    cutLinks.add(link(from, to));
  }

  /** Splits the nodes: no traffic between {@code side} and the rest, in either direction. */
  void partition(Set<Long> side, Set<Long> all) {
    for (long a : side) {
      for (long b : all) {
        if (!side.contains(b)) {
          cut(a, b);
          cut(b, a);
        }
      }
    }
  }

  void healAll() {
    cutLinks.clear();
  }

  boolean isCut(long from, long to) {
    return cutLinks.contains(link(from, to));
  }

  boolean hasCuts() {
    return !cutLinks.isEmpty();
  }

  String stats() {
    return "sent=" + sent + " dropped=" + dropped + " duplicated=" + duplicated;
  }

  private static long link(long from, long to) {
    return (from << 32) | to;
  }
}
