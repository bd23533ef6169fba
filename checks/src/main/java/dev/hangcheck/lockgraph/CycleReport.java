package dev.hangcheck.lockgraph;

import com.google.common.collect.ImmutableList;
import dev.hangcheck.engine.Findings;
import dev.hangcheck.engine.WorkBudget;
import dev.hangcheck.locks.LockId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns the edges of the lock graph that lie on a cycle into findings, one per site, naming the
 * shortest cycle through it. A cycle whose every edge is taken under one common lock (a gate) or
 * only on the one UI thread cannot deadlock, and is not reported.
 */
final class CycleReport {

  private static final Comparator<LockOrderAnalysis.Edge> EDGE_ORDER =
      Comparator.comparing(LockOrderAnalysis.Edge::site)
          .thenComparing(LockOrderAnalysis.Edge::from)
          .thenComparing(LockOrderAnalysis.Edge::to);

  private final LockGraph<LockOrderAnalysis.Edge> graph;
  private final WorkBudget budget;
  private final Findings findings;

  CycleReport(LockGraph<LockOrderAnalysis.Edge> graph, WorkBudget budget, Findings findings) {
    this.graph = graph;
    this.budget = budget;
    this.findings = findings;
  }

  /** What a finding adds when more cycles pass through its site. */
  static String othersNote(int others) {
    return others == 1
        ? " One other lock-order cycle passes through here."
        : " " + others + " other lock-order cycles pass through here.";
  }

  void report() {
    for (Set<LockId> component : graph.cyclicComponents()) {
      Reachability reach = new Reachability(component);
      for (LockId to : component) {
        budget.spend(component.size() + graph.edgesWithin(component));
        Map<LockId, LockId> pathsFromTo = graph.shortestPathTree(to, component);
        for (LockId from : component) {
          List<LockOrderAnalysis.Edge> edges = graph.labels(from, to);
          if (edges.isEmpty()) {
            continue;
          }
          // Cycle: from -> to -> ... -> from, the rest being a shortest path back.
          ImmutableList<LockId> back = LockGraph.path(pathsFromTo, to, from);
          List<LockOrderAnalysis.Edge> others = new ArrayList<>();
          for (int i = 0; i + 1 < back.size(); i++) {
            others.add(graph.labels(back.get(i), back.get(i + 1)).stream().min(EDGE_ORDER).orElseThrow());
          }
          for (LockOrderAnalysis.Edge edge : edges) {
            budget.spend(back.size());
            if (!edge.guards().isEmpty() && !reach.escapesEveryGuard(edge)) {
              continue;
            }
            findings.add(
                edge.site(),
                rank(edge, back, others),
                () -> CycleMessages.cycle(edge, back, others));
          }
        }
      }
    }
  }

  /**
   * Of the cycles through one site, the one reported: the fewest locks, then the fewest calls in
   * its chains (the most direct evidence, and the easiest to read).
   */
  private static int rank(
      LockOrderAnalysis.Edge here, List<LockId> back, List<LockOrderAnalysis.Edge> others) {
    int calls = callsIn(here);
    for (LockOrderAnalysis.Edge other : others) {
      calls += callsIn(other);
    }
    return back.size() * 100_000 + Math.min(calls, 99_999);
  }

  private static int callsIn(LockOrderAnalysis.Edge edge) {
    return edge.chain() == null ? 0 : edge.chain().length();
  }

  /**
   * Paths within one cyclic component, to tell whether a cycle through an edge can avoid each of
   * the locks held where the edge is made (its guards): a cycle all of whose edges are made
   * holding one common lock (a gate, or the one UI thread) cannot deadlock, since its threads
   * take that lock first, one at a time.
   */
  private final class Reachability {
    private final Set<LockId> component;
    private final Map<LockId, List<LockId>> predecessors = new HashMap<>();
    private final Map<LockId, Set<LockId>> forward = new HashMap<>();
    private final Map<LockId, Set<LockId>> backward = new HashMap<>();
    private final Map<List<LockId>, Set<LockId>> commonGuards = new HashMap<>();
    private final Map<List<LockId>, Boolean> waysBackWithoutOlder = new HashMap<>();

    Reachability(Set<LockId> component) {
      this.component = component;
      for (LockId node : component) {
        for (LockId next : graph.successorsWithin(node, component)) {
          predecessors.computeIfAbsent(next, k -> new ArrayList<>()).add(node);
        }
      }
    }

    /**
     * Whether, for every guard of {@code edge}, some cycle through it contains an edge made
     * somewhere without that guard held: from the edge's target to that edge, and from there back
     * to the edge's source. The guards every such edge is always made under are computed once per
     * pair of locks.
     */
    boolean escapesEveryGuard(LockOrderAnalysis.Edge edge) {
      Set<LockId> alwaysOnTheWayBack =
          commonGuards.computeIfAbsent(List.of(edge.from(), edge.to()), k -> guardsOnEveryEdgeBetween(edge));
      Set<LockId> common = new HashSet<>(edge.guards());
      common.retainAll(alwaysOnTheWayBack);
      if (!common.equals(Set.of(LockId.NOT_YOUNGER_OBJECT))) {
        return common.isEmpty();
      }
      // Every edge of the cycle stays on an object or goes to an older one: it cannot be unless
      // none goes to an older one.
      return !edge.guards().contains(LockId.OLDER_OBJECT)
          && waysBackWithoutOlder
              .computeIfAbsent(List.of(edge.from(), edge.to()), k -> backAvoidingOlder(edge));
    }

    /**
     * Whether a way back from the edge's target to its source exists whose every step has a site
     * that does not take an older object's lock.
     */
    private boolean backAvoidingOlder(LockOrderAnalysis.Edge edge) {
      return search(
              edge.to(),
              node ->
                  graph.successorsWithin(node, component).stream()
                      .filter(next -> !guardsOfEveryLabel(node, next).contains(LockId.OLDER_OBJECT))
                      .toList())
          .contains(edge.from());
    }

    private Set<LockId> guardsOnEveryEdgeBetween(LockOrderAnalysis.Edge edge) {
      Set<LockId> afterEdge = forward.computeIfAbsent(edge.to(), this::reachableFrom);
      Set<LockId> beforeEdge = backward.computeIfAbsent(edge.from(), this::reaching);
      Set<LockId> common = null;
      for (LockId x : afterEdge) {
        for (LockId y : graph.successorsWithin(x, component)) {
          budget.spend(1);
          if (!beforeEdge.contains(y)) {
            continue;
          }
          Set<LockId> always = guardsOfEveryLabel(x, y);
          if (common == null) {
            common = new HashSet<>(always);
          } else {
            common.retainAll(always);
          }
          if (common.isEmpty()) {
            return Set.of();
          }
        }
      }
      return common == null ? Set.of() : common;
    }

    /** The guards held at every site that makes the edge {@code x -> y}. */
    private Set<LockId> guardsOfEveryLabel(LockId x, LockId y) {
      Set<LockId> always = null;
      for (LockOrderAnalysis.Edge label : graph.labels(x, y)) {
        if (always == null) {
          always = new HashSet<>(label.guards());
        } else {
          always.retainAll(label.guards());
        }
      }
      return always == null ? Set.of() : always;
    }

    private Set<LockId> reachableFrom(LockId start) {
      return search(start, node -> graph.successorsWithin(node, component));
    }

    private Set<LockId> reaching(LockId end) {
      return search(end, node -> predecessors.getOrDefault(node, List.of()));
    }

    private Set<LockId> search(LockId start, java.util.function.Function<LockId, List<LockId>> next) {
      Set<LockId> seen = new HashSet<>();
      java.util.Deque<LockId> queue = new java.util.ArrayDeque<>();
      seen.add(start);
      queue.add(start);
      while (!queue.isEmpty()) {
        LockId node = queue.poll();
        budget.spend(1);
        for (LockId successor : next.apply(node)) {
          if (seen.add(successor)) {
            queue.add(successor);
          }
        }
      }
      return seen;
    }
  }

  static String cycleDisplay(List<LockId> cycle) {
    return cycle.stream().map(LockId::display).collect(Collectors.joining(" -> "));
  }
}
