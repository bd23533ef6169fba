package dev.hangcheck.lockgraph;

import com.google.common.collect.ImmutableList;
import dev.hangcheck.config.HangcheckConfig;
import dev.hangcheck.engine.Finding;
import dev.hangcheck.engine.Findings;
import dev.hangcheck.engine.Site;
import dev.hangcheck.engine.WorkBudget;
import dev.hangcheck.locks.LockId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

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

  /**
   * The longest cycle, in locks, looked for as a shortest one. Cycles in real code have a few
   * locks; in a strongly connected component of thousands, a search for each edge's shortest
   * cycle would cost the component's size per edge. A longer one is reported through a way back
   * built once per component ({@link WaysThroughRoot}).
   */
  private static final int SHORTEST_CYCLE_SEARCHED = 16;

  private static final Comparator<LockOrderAnalysis.Edge> FEWEST_CALLS_FIRST =
      Comparator.comparingInt(CycleReport::callsIn).thenComparing(EDGE_ORDER);

  private final LockGraph<LockOrderAnalysis.Edge> graph;
  private final WorkBudget budget;
  private final Findings findings;
  private final int maxCycleCalls;
  /** Sites on a cycle that were left out only because its chains have too many calls. */
  private final Set<Site> tooDeep = new TreeSet<>();

  /**
   * @param maxCycleCalls how many calls the chains of a cycle may have together for it to be
   *     reported ({@code Integer.MAX_VALUE}: any)
   */
  CycleReport(
      LockGraph<LockOrderAnalysis.Edge> graph, WorkBudget budget, Findings findings, int maxCycleCalls) {
    this.graph = graph;
    this.budget = budget;
    this.findings = findings;
    this.maxCycleCalls = maxCycleCalls;
  }

  /** What a finding adds when more cycles pass through its site. */
  static String othersNote(int others) {
    return others == 1
        ? " One other lock-order cycle passes through here."
        : " " + others + " other lock-order cycles pass through here.";
  }

  /** What the user is told of the sites left out because their cycles need too many calls. */
  static String tooDeepNote(int sites, int maxCycleCalls) {
    return "Hangcheck: LockOrderInversion left out "
        + (sites == 1 ? "1 place" : sites + " places")
        + " on lock-order cycles whose call chains have more than "
        + maxCycleCalls
        + " calls together (such long paths are mostly ones the program cannot take); -XepOpt:"
        + HangcheckConfig.LOCK_ORDER_MAX_CYCLE_CALLS_FLAG
        + "=unlimited reports them too.";
  }

  /**
   * Reports the cycles; returns how many sites lie only on cycles whose chains have more calls
   * than the bound.
   */
  int report() {
    for (Set<LockId> component : graph.cyclicComponents()) {
      Reachability reach = new Reachability(component);
      WaysThroughRoot throughRoot = null;
      for (LockId to : component) {
        Map<LockId, LockId> pathsFromTo =
            graph.shortestPathTree(to, component, SHORTEST_CYCLE_SEARCHED - 1);
        budget.spend(1 + pathsFromTo.size());
        LockGraph.LightestPaths fewestCallsFromTo = null;
        for (LockId from : reach.predecessorsOf(to)) {
          List<LockOrderAnalysis.Edge> edges = graph.labels(from, to);
          // Cycle: from -> to -> ... -> from, the rest being a shortest path back; or, for a
          // cycle longer than any searched, a way back through the component's root.
          ImmutableList<LockId> back;
          int backLength;
          if (pathsFromTo.containsKey(from)) {
            back = LockGraph.path(pathsFromTo, to, from);
            backLength = back.size();
          } else {
            if (throughRoot == null) {
              throughRoot = new WaysThroughRoot(graph, component, reach::predecessorsOf);
            }
            backLength = throughRoot.length(to, from);
            back = throughRoot.prefix(to, from, CycleMessages.MAX_CYCLE_SHOWN + 1);
          }
          List<LockOrderAnalysis.Edge> others = edgesAlong(back);
          boolean wholeWayBack = back.size() == backLength;
          int callsBack = wholeWayBack ? callsAlong(others) : Integer.MAX_VALUE;
          for (LockOrderAnalysis.Edge edge : edges) {
            budget.spend(1);
            if (!edge.guards().isEmpty() && !reach.escapesEveryGuard(edge)) {
              continue;
            }
            ImmutableList<LockId> way = back;
            List<LockOrderAnalysis.Edge> wayEdges = others;
            int wayLength = backLength;
            boolean whole = wholeWayBack;
            if (maxCycleCalls != Integer.MAX_VALUE && !withinCalls(callsIn(edge), callsBack)) {
              // The fewest locks take too many calls: a way back with fewer calls, maybe more locks.
              if (fewestCallsFromTo == null) {
                fewestCallsFromTo = fewestCallsFrom(to, component);
              }
              Integer calls = fewestCallsFromTo.weight().get(from);
              if (calls == null || !withinCalls(callsIn(edge), calls)) {
                tooDeep.add(edge.site());
                continue;
              }
              way = LockGraph.path(fewestCallsFromTo.predecessor(), to, from);
              wayEdges = edgesAlong(way);
              wayLength = way.size();
              whole = true;
            }
            ImmutableList<LockId> shownWay = way;
            List<LockOrderAnalysis.Edge> shownEdges = wayEdges;
            int shownLength = wayLength;
            findings.addFinding(
                edge.site(),
                rank(edge, wayLength, whole ? wayEdges : null),
                () ->
                    new Finding(
                        edge.site(),
                        CycleMessages.cycle(edge, shownWay, shownEdges, shownLength),
                        EdgePlaces.related(
                            shownEdges.subList(
                                0, Math.min(shownEdges.size(), CycleMessages.MAX_CYCLE_SHOWN))),
                        EdgePlaces.flow(edge)));
          }
        }
      }
    }
    return (int) tooDeep.stream().filter(site -> !findings.hasAt(site)).count();
  }

  private boolean withinCalls(int callsHere, int callsBack) {
    return (long) callsHere + callsBack <= maxCycleCalls;
  }

  /** Ways back from {@code to} with the fewest calls in their chains, within the bound. */
  private LockGraph.LightestPaths fewestCallsFrom(LockId to, Set<LockId> component) {
    LockGraph.LightestPaths paths =
        graph.lightestPathTree(
            to,
            component,
            (x, y) -> callsIn(graph.labels(x, y).stream().min(FEWEST_CALLS_FIRST).orElseThrow()),
            maxCycleCalls);
    budget.spend(1 + paths.weight().size());
    return paths;
  }

  /** For each step of a path, the edge of the graph a message shows for it: its fewest calls. */
  private List<LockOrderAnalysis.Edge> edgesAlong(List<LockId> path) {
    List<LockOrderAnalysis.Edge> edges = new ArrayList<>(path.size());
    for (int i = 0; i + 1 < path.size(); i++) {
      edges.add(graph.labels(path.get(i), path.get(i + 1)).stream().min(FEWEST_CALLS_FIRST).orElseThrow());
    }
    budget.spend(path.size());
    return edges;
  }

  private static int callsAlong(List<LockOrderAnalysis.Edge> edges) {
    long calls = 0;
    for (LockOrderAnalysis.Edge edge : edges) {
      calls += callsIn(edge);
    }
    return (int) Math.min(calls, Integer.MAX_VALUE);
  }

  /**
   * Of the cycles through one site, the one reported: the fewest locks, then the fewest calls in
   * its chains (the most direct evidence, and the easiest to read).
   *
   * @param others the edges of the way back, or null when only its first ones are known: it
   *     counts as having the most calls
   */
  private static int rank(
      LockOrderAnalysis.Edge here, int backLength, @Nullable List<LockOrderAnalysis.Edge> others) {
    int calls = callsIn(here);
    if (others == null) {
      calls = 99_999;
    } else {
      for (LockOrderAnalysis.Edge other : others) {
        calls += callsIn(other);
      }
    }
    return backLength * 100_000 + Math.min(calls, 99_999);
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

    /** The nodes of the component with an edge into {@code node}, in the component's order. */
    List<LockId> predecessorsOf(LockId node) {
      return predecessors.getOrDefault(node, List.of());
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
