package dev.hangcheck.lockgraph;

import dev.hangcheck.locks.LockId;
import com.google.common.collect.ImmutableList;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToIntBiFunction;

/**
 * The graph "lock Y is acquired while lock X is held" of one compilation, with the cycles in it.
 * Nodes and edges are kept sorted, so every answer is the same whatever order they were added in.
 *
 * @param <E> what an edge carries (its sites)
 */
public final class LockGraph<E> {

  private final Map<LockId, TreeMap<LockId, List<E>>> successors = new TreeMap<>();

  public void addEdge(LockId from, LockId to, E label) {
    successors.computeIfAbsent(from, k -> new TreeMap<>()).computeIfAbsent(to, k -> new ArrayList<>()).add(label);
    successors.computeIfAbsent(to, k -> new TreeMap<>());
  }

  /** Every edge's labels, by source then target, in key order. */
  public void forEachEdge(EdgeVisitor<E> visitor) {
    successors.forEach((from, targets) -> targets.forEach((to, labels) -> visitor.visit(from, to, labels)));
  }

  /** What {@link #forEachEdge} calls for each pair of locks with an edge. */
  public interface EdgeVisitor<E> {
    void visit(LockId from, LockId to, List<E> labels);
  }

  public List<E> labels(LockId from, LockId to) {
    return successors.getOrDefault(from, new TreeMap<>()).getOrDefault(to, List.of());
  }

  /**
   * The strongly connected components with more than one node, found with Tarjan's algorithm
   * (iterative). Only edges inside such a component lie on a cycle.
   */
  public List<Set<LockId>> cyclicComponents() {
    Map<LockId, Integer> indexOf = new HashMap<>();
    Map<LockId, Integer> lowLink = new HashMap<>();
    Set<LockId> onStack = new java.util.HashSet<>();
    Deque<LockId> stack = new ArrayDeque<>();
    List<Set<LockId>> components = new ArrayList<>();
    int counter = 0;
    for (LockId root : successors.keySet()) {
      if (indexOf.containsKey(root)) {
        continue;
      }
      Deque<Map.Entry<LockId, java.util.Iterator<LockId>>> frames = new ArrayDeque<>();
      indexOf.put(root, counter);
      lowLink.put(root, counter++);
      stack.push(root);
      onStack.add(root);
      frames.push(Map.entry(root, successors.get(root).keySet().iterator()));
      while (!frames.isEmpty()) {
        LockId node = frames.peek().getKey();
        java.util.Iterator<LockId> next = frames.peek().getValue();
        if (next.hasNext()) {
          LockId successor = next.next();
          if (!indexOf.containsKey(successor)) {
            indexOf.put(successor, counter);
            lowLink.put(successor, counter++);
            stack.push(successor);
            onStack.add(successor);
            frames.push(Map.entry(successor, successors.get(successor).keySet().iterator()));
          } else if (onStack.contains(successor)) {
            lowLink.put(node, Math.min(lowLink.get(node), indexOf.get(successor)));
          }
          continue;
        }
        frames.pop();
        if (!frames.isEmpty()) {
          LockId parent = frames.peek().getKey();
          lowLink.put(parent, Math.min(lowLink.get(parent), lowLink.get(node)));
        }
        if (lowLink.get(node).equals(indexOf.get(node))) {
          Set<LockId> component = new TreeSet<>();
          LockId member;
          do {
            member = stack.pop();
            onStack.remove(member);
            component.add(member);
          } while (!member.equals(node));
          if (component.size() > 1) {
            components.add(component);
          }
        }
      }
    }
    return components;
  }


  /** The successors of {@code node} inside {@code component}, sorted. */
  public List<LockId> successorsWithin(LockId node, Set<LockId> component) {
    List<LockId> out = new ArrayList<>();
    for (LockId successor : successors.getOrDefault(node, new TreeMap<>()).keySet()) {
      if (component.contains(successor)) {
        out.add(successor);
      }
    }
    return out;
  }

  /**
   * Shortest paths from {@code start} to the nodes of its component at most {@code maxSteps} edges
   * away (breadth-first), as the predecessor of each node. One search per node serves every edge
   * entering that node.
   */
  public Map<LockId, LockId> shortestPathTree(LockId start, Set<LockId> component, int maxSteps) {
    Map<LockId, LockId> predecessor = new HashMap<>();
    Deque<LockId> queue = new ArrayDeque<>();
    predecessor.put(start, start);
    queue.add(start);
    for (int steps = 0; steps < maxSteps && !queue.isEmpty(); steps++) {
      Deque<LockId> next = new ArrayDeque<>();
      for (LockId node : queue) {
        for (LockId successor : successorsWithin(node, component)) {
          if (!predecessor.containsKey(successor)) {
            predecessor.put(successor, node);
            next.add(successor);
          }
        }
      }
      queue = next;
    }
    return predecessor;
  }

  /**
   * Paths from {@code start} to the nodes of its component whose summed weight is at most {@code
   * maxWeight}, each of the least weight (Dijkstra; among equal weights, the fewest edges, then the
   * first node in key order), as the predecessor of each node and its weight.
   *
   * @param weight the weight of the edge between two nodes, not negative
   */
  public LightestPaths lightestPathTree(
      LockId start, Set<LockId> component, ToIntBiFunction<LockId, LockId> weight, int maxWeight) {
    Map<LockId, LockId> predecessor = new HashMap<>();
    Map<LockId, Reached> best = new HashMap<>();
    PriorityQueue<Reached> queue = new PriorityQueue<>(Reached.ORDER);
    Set<LockId> settled = new java.util.HashSet<>();
    predecessor.put(start, start);
    best.put(start, new Reached(0, 0, start));
    queue.add(best.get(start));
    while (!queue.isEmpty()) {
      Reached reached = queue.poll();
      if (!settled.add(reached.node())) {
        continue;
      }
      for (LockId successor : successorsWithin(reached.node(), component)) {
        long total = reached.weight() + weight.applyAsInt(reached.node(), successor);
        if (total > maxWeight || settled.contains(successor)) {
          continue;
        }
        Reached candidate = new Reached(total, reached.edges() + 1, successor);
        Reached known = best.get(successor);
        if (known == null || Reached.ORDER.compare(candidate, known) < 0) {
          best.put(successor, candidate);
          predecessor.put(successor, reached.node());
          queue.add(candidate);
        }
      }
    }
    Map<LockId, Integer> weights = new HashMap<>();
    best.forEach((node, reached) -> weights.put(node, (int) reached.weight()));
    return new LightestPaths(predecessor, weights);
  }

  private record Reached(long weight, int edges, LockId node) {
    static final Comparator<Reached> ORDER =
        Comparator.comparingLong(Reached::weight)
            .thenComparingInt(Reached::edges)
            .thenComparing(Reached::node);
  }

  /** What {@link #lightestPathTree} finds: a tree of predecessors, and each node's weight. */
  public record LightestPaths(Map<LockId, LockId> predecessor, Map<LockId, Integer> weight) {}

  /** The nodes from {@code start} to {@code end} on the tree, both included. */
  public static ImmutableList<LockId> path(Map<LockId, LockId> tree, LockId start, LockId end) {
    List<LockId> reversed = new ArrayList<>();
    for (LockId node = end; ; node = tree.get(node)) {
      reversed.add(node);
      if (node.equals(start)) {
        break;
      }
    }
    return ImmutableList.copyOf(reversed).reverse();
  }
}
