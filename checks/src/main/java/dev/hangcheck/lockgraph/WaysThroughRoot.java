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
  /** For each lock, how many steps the shortest path from the root to it has. */
  private final Map<LockId, Integer> stepsFromRoot = new HashMap<>();
  /** For each lock, the previous lock on a shortest path from the root to it. */
  private final Map<LockId, LockId> fromRoot;

  WaysThroughRoot(
      LockGraph<?> graph, Set<LockId> component, Function<LockId, List<LockId>> predecessors) {
    this.root = component.iterator().next();
    this.fromRoot = graph.shortestPathTree(root, component, Integer.MAX_VALUE);
    Deque<LockId> queue = new ArrayDeque<>();
    towardRoot.put(root, root);
    stepsToRoot.put(root, 0);
    queue.add(root);
    while (!queue.isEmpty()) {
      LockId node = queue.poll();
      for (LockId previous : predecessors.apply(node)) {
        if (!towardRoot.containsKey(previous)) {
          towardRoot.put(previous, node);
          stepsToRoot.put(previous, stepsToRoot.get(node) + 1);
          queue.add(previous);
        }
      }
    }
    stepsFromRoot.put(root, 0);
    for (LockId node : component) {
      stepsFrom(node);
    }
  }

  private int stepsFrom(LockId node) {
    Integer known = stepsFromRoot.get(node);
    if (known != null) {
      return known;
    }
    // Iteratively: a path from the root may be as long as the component.
    Deque<LockId> pending = new ArrayDeque<>();
    for (LockId n = node; !stepsFromRoot.containsKey(n); n = fromRoot.get(n)) {
      pending.push(n);
    }
    while (!pending.isEmpty()) {
      LockId n = pending.pop();
      stepsFromRoot.put(n, stepsFromRoot.get(fromRoot.get(n)) + 1);
    }
    return stepsFromRoot.get(node);
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
