package dev.hangcheck.lockgraph;

import com.google.common.collect.ImmutableList;
import dev.hangcheck.locks.LockId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A way between any two locks of one strongly connected component, in time linear in its
 * length: into the component's first lock along shortest paths to it, then out along shortest
 * paths from it. Built once per component, with one search each way, for the cycles too long to
 * be searched for edge by edge. The way may pass a lock twice; it is still a cycle of waits.
 */
final class WaysThroughRoot {

  private final LockId root;
  /** For each lock, the next lock on a shortest path from it to the root. */
  private final Map<LockId, LockId> towardRoot = new HashMap<>();
  /** For each lock, how many steps that path has. */
  private final Map<LockId, Integer> stepsToRoot = new HashMap<>();
  /** For each lock, the previous lock on a shortest path from the root to it. */
  private final Map<LockId, LockId> fromRoot = new HashMap<>();
  /** For each lock, how many steps that path has. */
  private final Map<LockId, Integer> stepsFromRoot = new HashMap<>();

  WaysThroughRoot(
      LockGraph<?> graph, Set<LockId> component, Function<LockId, List<LockId>> predecessors) {
    this.root = component.iterator().next();
    search(root, node -> graph.successorsWithin(node, component), fromRoot, stepsFromRoot);
    search(root, predecessors, towardRoot, stepsToRoot);
  }

  /**
   * Breadth-first from {@code start} along {@code next}: for each lock reached, the lock it was
   * reached from and how many steps away it is.
   */
  private static void search(
      LockId start,
      Function<LockId, List<LockId>> next,
      Map<LockId, LockId> reachedFrom,
      Map<LockId, Integer> steps) {
    Deque<LockId> queue = new ArrayDeque<>();
    reachedFrom.put(start, start);
    steps.put(start, 0);
    queue.add(start);
    while (!queue.isEmpty()) {
      LockId node = queue.poll();
      for (LockId neighbour : next.apply(node)) {
        if (!reachedFrom.containsKey(neighbour)) {
          reachedFrom.put(neighbour, node);
          steps.put(neighbour, steps.get(node) + 1);
          queue.add(neighbour);
        }
      }
    }
  }

  /** How many locks the way from {@code start} to {@code end} has, both included. */
  int length(LockId start, LockId end) {
    return stepsToRoot.get(start) + stepsFromRoot.get(end) + 1;
  }

  /**
   * The first {@code limit} locks of the way from {@code start} to {@code end} (all of them when
   * it is no longer), in time linear in {@code limit}.
   */
  ImmutableList<LockId> prefix(LockId start, LockId end, int limit) {
    List<LockId> out = new ArrayList<>();
    LockId node = start;
    while (out.size() < limit && !node.equals(root)) {
      out.add(node);
      node = towardRoot.get(node);
    }
    if (out.size() < limit) {
      // The rest runs from the root to end: only its first locks are wanted.
      List<LockId> fromTheRoot = LockGraph.path(fromRoot, root, end);
      out.addAll(fromTheRoot.subList(0, Math.min(fromTheRoot.size(), limit - out.size())));
    }
    return ImmutableList.copyOf(out);
  }
}
