package dev.hangcheck.lockgraph;

import dev.hangcheck.engine.Acquisition;
import dev.hangcheck.engine.Body;
import dev.hangcheck.engine.CallSite;
import dev.hangcheck.engine.HeldLock;
import dev.hangcheck.engine.SourceIndex;
import dev.hangcheck.engine.WorkBudget;
import dev.hangcheck.locks.LockId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which locks and methods can be on a lock-order cycle at all, found in time linear in the code:
 * one graph whose nodes are lock families and method bodies, with an edge from a lock to what is
 * done while it is held (a lock taken, a method called), from a method to what it takes and calls.
 * A path from one lock to another is an order between them, through calls at any depth, without
 * ever listing the pairs (a chain of N methods each holding its own lock has N² of them).
 *
 * <p>Only the strongly connected parts with two locks or more are then examined closely: there,
 * and only there, acquisitions through calls are listed and judged in context.
 */
final class CandidateCycles {

  private final SourceIndex index;
  private final RelativeLocks relative;
  private final WorkBudget budget;
  private final Components.Graph graph = new Components.Graph();
  private final Map<LockId, Integer> lockNodes = new HashMap<>();
  private final Map<Body, Integer> bodyNodes = new IdentityHashMap<>();
  private final List<Object> nodes = new ArrayList<>();
  /** Bodies whose every call is followed: those reached while some lock is held. */
  private final Set<Body> expandedAll = Collections.newSetFromMap(new IdentityHashMap<>());
  private final List<Body> analysed = new ArrayList<>();
  private final Map<Body, Set<HeldLock>> waitedMemo = new IdentityHashMap<>();

  /**
   * The locks and bodies of the cyclic parts; the bodies looked at; and for each of those the
   * locks it takes waiting, memoized for the later stage too.
   */
  record Candidates(
      Set<LockId> locks,
      Set<Body> bodies,
      List<Body> analysed,
      Map<Body, Set<HeldLock>> waitedMemo) {
    Set<HeldLock> waitedFor(Body body) {
      return CandidateCycles.waitedFor(body, waitedMemo);
    }
  }

  private CandidateCycles(SourceIndex index, RelativeLocks relative, WorkBudget budget) {
    this.index = index;
    this.relative = relative;
    this.budget = budget;
  }

  /**
   * @param declared a declared order whose violations are sought: its orders are edges here too,
   *     so that a lock taken against it is on a cycle
   */
  static Candidates find(
      SourceIndex index, RelativeLocks relative, WorkBudget budget, DeclaredOrder declared) {
    CandidateCycles cycles = new CandidateCycles(index, relative, budget);
    cycles.build();
    for (LockId[] order : declared.edgesAmong(new java.util.ArrayList<>(cycles.lockNodes.keySet()))) {
      cycles.graph.addEdge(cycles.node(order[0]), cycles.node(order[1]));
    }
    return cycles.cyclicParts();
  }

  /** Every lock and body, cyclic or not: for drawing the whole graph. */
  static Candidates everything(SourceIndex index, RelativeLocks relative, WorkBudget budget) {
    CandidateCycles cycles = new CandidateCycles(index, relative, budget);
    cycles.build();
    Set<Body> bodies = Collections.newSetFromMap(new IdentityHashMap<>());
    bodies.addAll(cycles.bodyNodes.keySet());
    return new Candidates(
        new java.util.HashSet<>(cycles.lockNodes.keySet()), bodies, cycles.analysed, cycles.waitedMemo);
  }

  /**
   * The held locks to draw edges from to a lock taken under them: the innermost, and outward
   * until one that was itself taken (waiting) under all the ones before it, with edges from them
   * ({@code covers}): those orders already lead through it. Nested blocks N deep then make N
   * edges, not N²; every cycle and every site is the same.
   */
  static List<HeldLock> edgeSources(List<HeldLock> held, java.util.function.Predicate<Integer> covers) {
    if (held.size() <= 1) {
      return held;
    }
    List<HeldLock> sources = new ArrayList<>();
    for (int j = held.size() - 1; j >= 0; j--) {
      sources.add(held.get(j));
      if (j > 0 && covers.test(j)) {
        break;
      }
    }
    return sources;
  }

  /** The locks a body takes waiting for them (not tryLock, not held on entry), memoized. */
  static Set<HeldLock> waitedFor(Body body, Map<Body, Set<HeldLock>> memo) {
    return memo.computeIfAbsent(
        body,
        b -> {
          Set<HeldLock> waited = Collections.newSetFromMap(new IdentityHashMap<>());
          for (Acquisition acquisition : b.acquisitions()) {
            waited.add(acquisition.lock());
          }
          return waited;
        });
  }

  /** Whether a lock is a node of the graph where it is taken or held. */
  static boolean isNode(Body body, HeldLock lock) {
    return lock.id() != null
        && lock.id().isGraphNode()
        && !body.isUncontended(lock.name());
  }

  private void build() {
    Deque<Body> pending = new ArrayDeque<>(index.bodies());
    Set<Body> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    Set<Body> unlockedCallsSeen = Collections.newSetFromMap(new IdentityHashMap<>());
    while (!pending.isEmpty()) {
      Body body = pending.poll();
      boolean first = seen.add(body);
      if (first) {
        analysed.add(body);
        addAcquisitions(body);
      }
      boolean unlockedToo = expandedAll.contains(body) && unlockedCallsSeen.add(body);
      for (CallSite call : body.calls()) {
        boolean locked = !call.held().isEmpty();
        if ((locked && first) || (!locked && unlockedToo)) {
          addCall(body, call, pending);
        }
      }
    }
  }

  private void addAcquisitions(Body body) {
    int from = node(body);
    Set<HeldLock> waited = waitedFor(body, waitedMemo);
    for (Acquisition acquisition : body.acquisitions()) {
      if (!isNode(body, acquisition.lock())) {
        continue;
      }
      int lock = node(acquisition.lock().id());
      graph.addEdge(from, lock);
      List<HeldLock> held = sources(body, acquisition.held(), waited);
      budget.spend(held.size());
      addEdgesFrom(body, held, lock);
    }
  }

  /** "What {@code to} stands for is done while each of {@code held} is held." */
  private void addEdgesFrom(Body body, List<HeldLock> held, int to) {
    for (HeldLock outer : held) {
      if (isNode(body, outer)) {
        graph.addEdge(node(outer.id()), to);
      }
    }
  }

  /** A call: its targets run under the locks held here, and are followed in full. */
  private void addCall(Body body, CallSite call, Deque<Body> pending) {
    int from = node(body);
    List<Body> targets = index.targets(call, b -> true);
    List<HeldLock> held = sources(body, call.held(), waitedFor(body, waitedMemo));
    budget.spend(1 + targets.size() * (1 + held.size()));
    for (Body target : targets) {
      graph.addEdge(from, node(target));
      addEdgesFrom(body, held, node(target));
      if (expandedAll.add(target)) {
        pending.add(target);
      }
    }
    // A callee's lock named by the caller's argument may be a family the callee cannot name.
    for (RelativeLocks.AtCall at : relative.atCallNotKept(call)) {
      LockId family = at.refinedFamily();
      if (family != null && family.isGraphNode()) {
        int lock = node(family);
        graph.addEdge(from, lock);
        addEdgesFrom(body, held, lock);
      }
    }
  }

  /** In this graph every held lock that is a node has its edges: one taken waiting covers. */
  private static List<HeldLock> sources(Body body, List<HeldLock> held, Set<HeldLock> waited) {
    return edgeSources(held, j -> waited.contains(held.get(j)) && isNode(body, held.get(j)));
  }

  private int node(Object key) {
    Integer known = key instanceof LockId ? lockNodes.get(key) : bodyNodes.get(key);
    if (known != null) {
      return known;
    }
    int created = graph.addNode();
    if (key instanceof LockId) {
      lockNodes.put((LockId) key, created);
    } else {
      bodyNodes.put((Body) key, created);
    }
    nodes.add(key);
    return created;
  }

  private Candidates cyclicParts() {
    int[] component = Components.of(graph);
    Map<Integer, Integer> locksPerComponent = new HashMap<>();
    for (int node : lockNodes.values()) {
      locksPerComponent.merge(component[node], 1, Integer::sum);
    }
    Set<LockId> locks = new java.util.HashSet<>();
    Set<Body> bodies = Collections.newSetFromMap(new IdentityHashMap<>());
    for (int node = 0; node < nodes.size(); node++) {
      if (locksPerComponent.getOrDefault(component[node], 0) >= 2) {
        Object key = nodes.get(node);
        if (key instanceof LockId) {
          locks.add((LockId) key);
        } else {
          bodies.add((Body) key);
        }
      }
    }
    return new Candidates(locks, bodies, analysed, waitedMemo);
  }
}
