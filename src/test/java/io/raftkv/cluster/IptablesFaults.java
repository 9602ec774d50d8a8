package io.raftkv.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Network faults with iptables, confined to a private chain so no other rule on the machine is ever
 * touched. Every node has its own loopback address (127.0.0.N) for its HTTP server, its peer server
 * and the source of its outgoing peer connections, so a node can be cut off from its peers by
 * address while the test's own HTTP traffic (which leaves from 127.0.0.1) still reaches it.
 *
 * <p>Loopback packets pass OUTPUT then INPUT; dropping them in INPUT is enough.
 */
final class IptablesFaults implements AutoCloseable {
  static final String CHAIN = "RAFTKV-TEST";
  private static final String PARENT = "INPUT";

  private final String chain;

  private IptablesFaults(String chain) {
    this.chain = chain;
  }

  /**
   * Creates (or reuses) the private chain, empties it and hooks it into INPUT. Fails with a clear
   * message when iptables cannot be used: these tests need it, they are never silently skipped.
   */
  static IptablesFaults install() {
    return install(CHAIN);
  }

  /** As {@link #install()}, with a chain of the caller's own (the torture tool uses RAFTKV-TORTURE). */
  static IptablesFaults install(String chain) {
    Result probe = run(List.of("iptables", "-w", "-S", PARENT));
    if (probe.exitCode != 0) {
      throw new IllegalStateException("iptables is required by the cluster tests (run as root with "
          + "the iptables package installed; CI installs it): " + probe.output);
    }
    if (run(List.of("iptables", "-w", "-S", chain)).exitCode != 0) {
      must(List.of("iptables", "-w", "-N", chain));
    }
    must(List.of("iptables", "-w", "-F", chain));
    if (run(List.of("iptables", "-w", "-C", PARENT, "-j", chain)).exitCode != 0) {
      must(List.of("iptables", "-w", "-I", PARENT, "1", "-j", chain));
    }
    return new IptablesFaults(chain);
  }

  /**
   * Cuts {@code isolated} off from every one of {@code peers}: all packets between their addresses,
   * both ways, plus anything to or from the isolated node's peer port (in case a node's outgoing
   * connections do not leave from its own address).
   */
  void isolate(NodeSpec isolated, List<NodeSpec> peers) {
    for (NodeSpec peer : peers) {
      drop("-s", isolated.host(), "-d", peer.host());
      drop("-s", peer.host(), "-d", isolated.host());
    }
    String raftPort = Integer.toString(isolated.raftPort());
    drop("-p", "tcp", "-d", isolated.host(), "--dport", raftPort);
    drop("-p", "tcp", "-s", isolated.host(), "--sport", raftPort);
  }

  /**
   * Drops every packet from {@code from}'s address to {@code to}'s (one way). TCP needs both ways, so
   * connections between them stall too, but datagrams and the direction of first contact differ.
   */
  void dropOneWay(NodeSpec from, NodeSpec to) {
    drop("-s", from.host(), "-d", to.host());
  }

  /** Removes every fault rule; the chain stays hooked in, empty. */
  void heal() {
    must(List.of("iptables", "-w", "-F", chain));
  }

  /** The rules currently in the chain, for diagnostics. */
  String rules() {
    return run(List.of("iptables", "-w", "-S", chain)).output;
  }

  /** True while the private chain exists or is jumped to (checks the whole filter table). */
  static boolean installed() {
    return run(List.of("iptables", "-w", "-S")).output.contains(CHAIN);
  }

  /** Empties and unhooks the chain. Safe to call more than once and from a shutdown hook. */
  @Override
  public void close() {
    removeChain(chain);
  }

  static void removeChain() {
    removeChain(CHAIN);
  }

  static void removeChain(String chain) {
    run(List.of("iptables", "-w", "-F", chain));
    while (run(List.of("iptables", "-w", "-D", PARENT, "-j", chain)).exitCode == 0) {
      // a crashed earlier run may have left more than one jump behind
    }
    run(List.of("iptables", "-w", "-X", chain));
  }

  private void drop(String... match) {
    List<String> command = new ArrayList<>(List.of("iptables", "-w", "-A", chain));
    command.addAll(List.of(match));
    command.addAll(List.of("-j", "DROP"));
    must(command);
  }

  private static void must(List<String> command) {
    Result result = run(command);
    if (result.exitCode != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + result.output);
    }
  }

  private record Result(int exitCode, String output) {}

  private static Result run(List<String> command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return new Result(-1, "timed out: " + String.join(" ", command));
      }
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return new Result(process.exitValue(), output.trim());
    } catch (IOException e) {
      return new Result(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, "interrupted");
    }
  }
}
