package dev.switchboard.tests;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The chaos benchmark: a bounded webhook load on one node, on three nodes, and on three nodes with one SIGKILLed
 * and another SIGSTOPped past its leases mid-load (all on one shared PostgreSQL and Redis, on loopback). Prints,
 * for each, what users would see: messages acknowledged, lost, answered twice, conversations out of order, the
 * longest gap between two answers in a conversation, the longest wait for an answer, and throughput. Never a
 * timed test: it prints figures. {@code -Dchaos.seconds} (default 30) and {@code -Dchaos.conversations} (24).
 */
@Tag("benchmark")
class ClusterChaosBenchmark {
  private static final int SECONDS = Integer.getInteger("chaos.seconds", 30);
  private static final int CONVERSATIONS = Integer.getInteger("chaos.conversations", 24);

  @Test
  void oneAndThreeNodesWithAndWithoutFaults() throws Exception {
    Duration load = Duration.ofSeconds(SECONDS);
    List<String[]> rows = new ArrayList<>();
    rows.add(row("1 node", run("chaos-bench-1", 1, load, false)));
    rows.add(row("3 nodes", run("chaos-bench-3", 3, load, false)));
    rows.add(row("3 nodes, kill + pause", run("chaos-bench-3f", 3, load, true)));

    System.out.printf("%nChaos benchmark: %d conversations writing without pause for %d s each run (webhook, "
        + "wait=0); client, every gateway, PostgreSQL and Redis share this machine's %d cores%n",
        CONVERSATIONS, SECONDS, Runtime.getRuntime().availableProcessors());
    System.out.println("faults: SIGKILL node 0 at 1/6 of the load; SIGSTOP node 1 at 1/3, SIGCONT 12 s later");
    String format = "%-24s %8s %6s %8s %12s %12s %12s %8s %10s %8s%n";
    System.out.printf(format, "scenario", "acked", "lost", "doubled", "out of order", "longest gap",
        "longest wait", "acked/s", "answered/s", "drain s");
    rows.forEach(r -> System.out.printf(format, (Object[]) r));
    System.out.println("out of order: conversations whose replies did not answer their acknowledged messages one by "
        + "one in order; longest gap: the longest a conversation went without an answer while its sender wrote; "
        + "answered/s: answered messages / (load + drain)");
  }

  private static ClusterChaos.Result run(String name, int nodes, Duration load, boolean faults) throws Exception {
    try (ClusterChaos cluster = ClusterChaos.start(name, nodes, Map.of())) {
      List<GatewayProcess> gateways = cluster.nodes();
      List<ClusterChaos.Fault> injected = !faults ? List.of() : List.of(
          new ClusterChaos.Fault(load.dividedBy(6), "SIGKILL node 0", () -> gateways.get(0).kill()),
          new ClusterChaos.Fault(load.dividedBy(3), "SIGSTOP node 1", () -> gateways.get(1).pause()),
          new ClusterChaos.Fault(load.dividedBy(3).plusSeconds(12), "SIGCONT node 1", () -> gateways.get(1).resume()));
      return cluster.load(CONVERSATIONS, load, injected);
    }
  }

  private static String[] row(String scenario, ClusterChaos.Result r) {
    return new String[] {scenario, Integer.toString(r.acknowledged()), Integer.toString(r.lost()),
        Integer.toString(r.doubled()), Integer.toString(r.outOfOrder()), seconds(r.longestGap()),
        seconds(r.longestWait()), String.format("%.0f", r.acknowledgedPerSecond()),
        String.format("%.0f", r.answeredPerSecond()), seconds(r.drain()).replace(" s", "")};
  }

  private static String seconds(Duration d) {
    return String.format("%.1f s", d.toMillis() / 1000.0);
  }
}
