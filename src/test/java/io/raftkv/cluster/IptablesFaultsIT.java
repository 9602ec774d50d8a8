package io.raftkv.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The network fault the cluster tests rely on, checked with plain sockets (needs root and iptables,
 * like the cluster tests): isolating a node's address cuts it off from its peers both ways, new and
 * established connections alike, while clients on 127.0.0.1 still reach everyone.
 */
class IptablesFaultsIT {
  private static final int TIMEOUT_MS = 500;
  private IptablesFaults faults;
  private ServerSocket isolatedPeerPort;
  private ServerSocket isolatedHttpPort;
  private ServerSocket peerPort;
  private NodeSpec isolated;
  private NodeSpec peer;

  @BeforeEach
  void setUp() throws IOException {
    faults = IptablesFaults.install();
    isolatedPeerPort = listen("127.0.0.11");
    isolatedHttpPort = listen("127.0.0.11");
    peerPort = listen("127.0.0.12");
    isolated = spec(1, "127.0.0.11", isolatedPeerPort);
    peer = spec(2, "127.0.0.12", peerPort);
  }

  @AfterEach
  void tearDown() throws IOException {
    faults.close();
    isolatedPeerPort.close();
    isolatedHttpPort.close();
    peerPort.close();
  }

  @Test
  void isolationCutsPeersBothWaysButNotClients() throws IOException {
    assertThat(canConnect("127.0.0.11", peerPort)).isTrue();

    faults.isolate(isolated, List.of(peer));

    assertThat(canConnect("127.0.0.11", peerPort)).as("isolated -> peer").isFalse();
    assertThat(canConnect("127.0.0.12", isolatedPeerPort)).as("peer -> isolated").isFalse();
    assertThat(canConnect("127.0.0.1", isolatedHttpPort)).as("client -> isolated").isTrue();
    assertThat(canConnect("127.0.0.1", peerPort)).as("client -> peer").isTrue();

    faults.heal();
    assertThat(canConnect("127.0.0.11", peerPort)).as("after heal").isTrue();
    assertThat(canConnect("127.0.0.12", isolatedPeerPort)).as("after heal").isTrue();
  }

  @Test
  void isolationStopsDataOnAnEstablishedConnection() throws IOException {
    try (Socket client = connect("127.0.0.11", peerPort); Socket server = peerPort.accept()) {
      server.setSoTimeout(TIMEOUT_MS);
      client.getOutputStream().write(1);
      assertThat(server.getInputStream().read()).isEqualTo(1);

      faults.isolate(isolated, List.of(peer));
      client.getOutputStream().write(2);
      InputStream in = server.getInputStream();
      assertThatThrownBy(in::read).isInstanceOf(SocketTimeoutException.class);

      faults.heal();
      assertThat(in.read()).as("retransmitted after heal").isEqualTo(2);
    }
  }

  @Test
  void closingRemovesThePrivateChain() {
    faults.isolate(isolated, List.of(peer));
    assertThat(faults.rules()).contains("DROP");
    assertThat(IptablesFaults.installed()).isTrue();
    faults.close();
    assertThat(IptablesFaults.installed()).as("chain or jump left behind").isFalse();
  }

  private boolean canConnect(String from, ServerSocket to) {
    try (Socket socket = connect(from, to); Socket accepted = to.accept()) {
      return socket.isConnected() && accepted.isConnected();
    } catch (IOException e) {
      return false;
    }
  }

  private static Socket connect(String from, ServerSocket to) throws IOException {
    Socket socket = new Socket();
    socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
    socket.connect(to.getLocalSocketAddress(), TIMEOUT_MS);
    return socket;
  }

  private static ServerSocket listen(String host) throws IOException {
    ServerSocket socket = new ServerSocket(0, 10, InetAddress.getByName(host));
    socket.setSoTimeout(TIMEOUT_MS);
    return socket;
  }

  private static NodeSpec spec(int id, String host, ServerSocket raft) {
    return new NodeSpec(id, host, 0, raft.getLocalPort(), Path.of("unused"), Path.of("unused.log"));
  }
}
