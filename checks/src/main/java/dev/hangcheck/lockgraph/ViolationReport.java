package dev.hangcheck.lockgraph;

import dev.hangcheck.engine.Finding;
import dev.hangcheck.engine.Findings;
import dev.hangcheck.engine.WorkBudget;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Turns the edges of the lock graph that go against the declared order into findings, one per
 * site: "acquires X while holding Y, and the code declares X before Y".
 */
final class ViolationReport {

  private final LockGraph<LockOrderAnalysis.Edge> graph;
  private final DeclaredOrder declared;
  private final WorkBudget budget;
  private final Findings findings;

  ViolationReport(
      LockGraph<LockOrderAnalysis.Edge> graph,
      DeclaredOrder declared,
      WorkBudget budget,
      Findings findings) {
    this.graph = graph;
    this.declared = declared;
    this.budget = budget;
    this.findings = findings;
  }

  static String othersNote(int others) {
    return others == 1
        ? " One other lock held here is also declared after it."
        : " " + others + " other locks held here are also declared after it.";
  }

  void report() {
    graph.forEachEdge(
        (held, acquired, edges) -> {
          List<DeclaredOrder.Declaration> order = declared.putsBefore(acquired, held);
          if (order == null) {
            return;
          }
          for (LockOrderAnalysis.Edge edge : edges) {
            budget.spend(1);
            findings.addFinding(
                edge.site(),
                edge.chain() == null ? 0 : edge.chain().length(),
                () ->
                    new Finding(
                        edge.site(),
                        message(edge, order),
                        com.google.common.collect.ImmutableList.of(),
                        EdgePlaces.flow(edge)));
          }
        });
  }

  private static String message(LockOrderAnalysis.Edge edge, List<DeclaredOrder.Declaration> order) {
    String first = edge.to().display();
    String then = edge.from().display();
    String declaredText =
        order.size() == 1
            ? order.get(0).origin()
            : order.stream()
                .map(d -> d.first().display() + " before " + d.second().display() + " (" + d.origin() + ")")
                .collect(Collectors.joining(", "));
    return "Lock-order violation: the declared order puts "
        + first
        + " before "
        + then
        + " ("
        + declaredText
        + "), but "
        + edge.site().body().display()
        + " acquires "
        + edge.acquired()
        + " while holding "
        + edge.holding().display()
        + CycleMessages.viaCalls(edge.chain())
        + ". A thread that keeps to the declared order deadlocks with this one: acquire "
        + first
        + " before "
        + then
        + ", or release "
        + then
        + " first.";
  }
}
