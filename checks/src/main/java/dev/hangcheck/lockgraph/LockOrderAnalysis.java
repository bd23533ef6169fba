package dev.hangcheck.lockgraph;

import dev.hangcheck.locks.LockId;
import dev.hangcheck.engine.HeldLock;
import dev.hangcheck.engine.Acquisition;
import com.google.common.collect.ImmutableList;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.IfTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreeScanner;
import dev.hangcheck.engine.Body;
import dev.hangcheck.engine.CallSite;
import dev.hangcheck.engine.Finding;
import dev.hangcheck.engine.Findings;
import dev.hangcheck.locks.Names;
import dev.hangcheck.engine.Site;
import dev.hangcheck.engine.SourceIndex;
import dev.hangcheck.engine.TransitiveFacts;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Builds the lock-acquisition graph of a compilation from the bodies' acquisitions and calls, and
 * turns every edge that lies on a cycle into a finding at its own site.
 */
public final class LockOrderAnalysis {

  public static final String CHECK_NAME = "LockOrderInversion";

  /**
   * "{@code to} is acquired while {@code from} is held", at {@code site}.
   *
   * @param chain for an edge made by a call, the calls down to the acquisition; else null
   */
  record Edge(LockId from, LockId to, HeldLock holding, Site site, TransitiveFacts.@Nullable Chain chain) {}

  private static final Comparator<Edge> EDGE_ORDER =
      Comparator.comparing(Edge::site).thenComparing(Edge::from).thenComparing(Edge::to);

  private final SourceIndex index;
  private final TransitiveFacts<LockId> acquires;
  private final LockGraph<Edge> graph = new LockGraph<>();
  private final Findings findings = new Findings();

  private LockOrderAnalysis(SourceIndex index) {
    this.index = index;
    this.acquires =
        new TransitiveFacts<>(
            index,
            LockOrderAnalysis::directAcquisitions,
            body -> true,
            (call, lock) -> isOwnMonitorDuringConstruction(call, lock) ? null : lock);
  }

  public static Findings analyze(SourceIndex index) {
    LockOrderAnalysis analysis = new LockOrderAnalysis(index);
    analysis.buildGraph();
    analysis.reportCycles();
    return analysis.findings;
  }

  /**
   * Whether {@code lock} is the monitor of the object a constructor is building, taken by code the
   * constructor calls on it: no other thread can hold the monitor of an object not yet published,
   * so its callers never wait for it there.
   */
  private boolean isOwnMonitorDuringConstruction(CallSite call, LockId lock) {
    Body caller = call.site().body();
    return call.onThis()
        && isConstructor(caller)
        && index.isSameObjectMonitor(LockId.instanceMonitor(caller.symbol().enclClass()), lock);
  }

  private static boolean isConstructor(Body body) {
    return body.kind() == Body.Kind.METHOD && body.symbol().isConstructor();
  }

  /** The named locks a body waits for itself (tryLock never waits, so it is not here). */
  private static SortedMap<LockId, Site> directAcquisitions(Body body) {
    SortedMap<LockId, Site> acquired = new TreeMap<>();
    for (Acquisition acquisition : body.acquisitions()) {
      if (isConstructor(body) && "this".equals(acquisition.lock().expressionKey())) {
        continue; // the monitor of the object being built: see isOwnMonitorDuringConstruction
      }
      if (acquisition.lock().id() != null) {
        acquired.putIfAbsent(acquisition.lock().id(), acquisition.site());
      }
    }
    return acquired;
  }

  private void buildGraph() {
    for (Body body : index.bodies()) {
      if (!nestsLocks(body) || body.isSuppressed(CHECK_NAME)) {
        continue; // no edge here, or declared intentional: its edges leave the graph
      }
      for (Acquisition acquisition : body.acquisitions()) {
        addDirectEdges(body, acquisition);
      }
      for (CallSite call : body.calls()) {
        addCallEdges(call);
      }
    }
  }

  /** The monitor of {@code this} among the held locks, if it is held. */
  static @Nullable LockId heldMonitorOfThis(List<HeldLock> held) {
    for (HeldLock lock : held) {
      if ("this".equals(lock.expressionKey()) && lock.id() != null) {
        return lock.id();
      }
    }
    return null;
  }

  private static boolean nestsLocks(Body body) {
    for (Acquisition acquisition : body.acquisitions()) {
      if (!acquisition.held().isEmpty()) {
        return true;
      }
    }
    for (CallSite call : body.calls()) {
      if (!call.held().isEmpty()) {
        return true;
      }
    }
    return false;
  }

  private void addDirectEdges(Body body, Acquisition acquisition) {
    HeldLock inner = acquisition.lock();
    if (acquisition.held().stream()
        .anyMatch(outer -> outer.sameObjectAs(inner) || outer.mayBe(inner.id()))) {
      return; // reentrant (or maybe): taking a lock already held never waits
    }
    for (HeldLock outer : acquisition.held()) {
      if (isSameClassPair(outer, inner)) {
        if (!isOrderedByCondition(body, acquisition.site(), outer, inner)) {
          findings.add(sameClassFinding(body, outer, inner));
        }
        continue;
      }
      if (outer.id() != null && inner.id() != null && !outer.id().equals(inner.id())) {
        graph.addEdge(outer.id(), inner.id(), new Edge(outer.id(), inner.id(), outer, acquisition.site(), null));
      }
    }
  }

  private void addCallEdges(CallSite call) {
    if (call.held().stream().allMatch(lock -> lock.id() == null)) {
      return;
    }
    Set<LockId> seen = new HashSet<>();
    Set<LockId> heldNodes = new HashSet<>();
    call.held().forEach(lock -> {
      heldNodes.add(lock.id());
      heldNodes.addAll(lock.alternatives());
    });
    LockId heldThis = call.onThis() ? heldMonitorOfThis(call.held()) : null;
    for (Body target : index.targets(call, body -> true)) {
      for (LockId acquired : acquires.of(target).keySet()) {
        if (!seen.add(acquired)
            || heldNodes.contains(acquired)
            || (heldThis != null && index.isSameObjectMonitor(heldThis, acquired))) {
          // One edge per call and lock: the first target explains it. A node already held is
          // taken to be the same lock again: instances cannot be told apart through calls, and
          // guessing would flood hierarchical and reentrant locking with alarms. Code called on
          // this object, holding its monitor, takes that monitor again whichever class of its
          // hierarchy declares it.
          continue;
        }
        TransitiveFacts.Chain rest = acquires.chain(target, acquired);
        ImmutableList<TransitiveFacts.Step> steps =
            ImmutableList.<TransitiveFacts.Step>builder()
                .add(new TransitiveFacts.Step(call, target))
                .addAll(rest.steps())
                .build();
        TransitiveFacts.Chain chain = new TransitiveFacts.Chain(steps, rest.origin());
        for (HeldLock outer : call.held()) {
          if (outer.id() != null) {
            graph.addEdge(outer.id(), acquired, new Edge(outer.id(), acquired, outer, call.site(), chain));
          }
        }
      }
    }
  }

  private void reportCycles() {
    for (Set<LockId> component : graph.cyclicComponents()) {
      for (LockId to : component) {
        Map<LockId, LockId> pathsFromTo = graph.shortestPathTree(to, component);
        for (LockId from : component) {
          List<Edge> edges = graph.labels(from, to);
          if (edges.isEmpty()) {
            continue;
          }
          // Cycle: from -> to -> ... -> from, the rest being a shortest path back.
          ImmutableList<LockId> back = LockGraph.path(pathsFromTo, to, from);
          for (Edge edge : edges) {
            findings.add(new Finding(edge.site(), cycleMessage(edge, back)));
          }
        }
      }
    }
  }

  private String cycleMessage(Edge here, ImmutableList<LockId> back) {
    List<LockId> cycle = new ArrayList<>();
    cycle.add(here.from());
    cycle.addAll(back);
    StringBuilder message = new StringBuilder();
    message
        .append("Lock-order cycle ")
        .append(cycle.stream().map(LockId::display).collect(Collectors.joining(" -> ")))
        .append(". Here ")
        .append(here.site().body().display())
        .append(" acquires ")
        .append(here.to().display())
        .append(" while holding ")
        .append(here.from().display())
        .append(viaCalls(here))
        .append(". Elsewhere: ");
    List<String> others = new ArrayList<>();
    for (int i = 0; i + 1 < back.size(); i++) {
      Edge other =
          graph.labels(back.get(i), back.get(i + 1)).stream().min(EDGE_ORDER).orElseThrow();
      others.add(
          other.site().body().display()
              + " ("
              + other.site().fileAndLine()
              + ") acquires "
              + other.to().display()
              + " while holding "
              + other.from().display()
              + viaCalls(other));
    }
    message.append(String.join("; ", others));
    List<String> distinct = cycle.stream().distinct().map(LockId::display).toList();
    String locks =
        String.join(", ", distinct.subList(0, distinct.size() - 1))
            + " and "
            + distinct.get(distinct.size() - 1);
    message
        .append(". Threads taking these paths at the same time deadlock: acquire ")
        .append(locks)
        .append(" in one global order everywhere.");
    return message.toString();
  }

  private static String viaCalls(Edge edge) {
    if (edge.chain() == null) {
      return "";
    }
    return ", through calls "
        + edge.chain().steps().stream()
            .map(step -> step.callee().display())
            .collect(Collectors.joining(" -> "))
        + " (which acquires it at "
        + edge.chain().origin().fileAndLine()
        + ")";
  }

  // ---- two locks of one class nested in one body: transfer(a, b) against transfer(b, a) ----

  private static boolean isSameClassPair(HeldLock outer, HeldLock inner) {
    if (!outer.stable() || !inner.stable()) {
      return false;
    }
    if (outer.id() != null && inner.id() != null) {
      return outer.id().equals(inner.id()) && !outer.id().isSingleton();
    }
    boolean outerIsObject = outer.id() == null || outer.id().kind() == LockId.Kind.INSTANCE_MONITOR;
    boolean innerIsObject = inner.id() == null || inner.id().kind() == LockId.Kind.INSTANCE_MONITOR;
    return outerIsObject
        && innerIsObject
        && outer.type() != null
        && inner.type() != null
        && outer.type().tsym != null
        && outer.type().tsym == inner.type().tsym;
  }

  /**
   * Whether the nesting sits under a condition that mentions both lock expressions, as in {@code
   * if (a.id < b.id) { synchronized (a) { synchronized (b) ... } } else ...}: the order is chosen.
   */
  private static boolean isOrderedByCondition(Body body, Site site, HeldLock outer, HeldLock inner) {
    Set<String> roots = new HashSet<>();
    for (HeldLock lock : List.of(outer, inner)) {
      String root = lock.expressionKey() == null ? "" : lock.expressionKey().split("\\.")[0];
      if (!root.equals("this")) {
        roots.add(root);
      }
    }
    TreePath path = TreePath.getPath(body.path(), site.tree());
    for (TreePath p = path; p != null && p.getLeaf() != body.path().getLeaf(); p = p.getParentPath()) {
      ExpressionTree condition = null;
      if (p.getLeaf() instanceof IfTree) {
        condition = ((IfTree) p.getLeaf()).getCondition();
      } else if (p.getLeaf() instanceof ConditionalExpressionTree) {
        condition = ((ConditionalExpressionTree) p.getLeaf()).getCondition();
      }
      if (condition != null && identifiersIn(condition).containsAll(roots)) {
        return true;
      }
    }
    return false;
  }

  private static Set<String> identifiersIn(ExpressionTree tree) {
    Set<String> names = new HashSet<>();
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitIdentifier(IdentifierTree identifier, Void unused) {
        names.add(identifier.getName().toString());
        return null;
      }
    }.scan(tree, null);
    return names;
  }

  private static Finding sameClassFinding(Body body, HeldLock outer, HeldLock inner) {
    String type = Names.typeDisplay(inner.type() != null ? inner.type() : outer.type());
    String message =
        "Lock-order inversion within one method: "
            + body.display()
            + " acquires "
            + describe(inner)
            + " while holding "
            + describe(outer)
            + " ("
            + outer.site().fileAndLine()
            + "), two locks of the same class "
            + type
            + ". Two threads running it with the objects swapped (transfer(a, b) and transfer(b,"
            + " a)) deadlock. Acquire the two in one global order (for example by a unique id),"
            + " or guard both with one lock.";
    return new Finding(inner.site(), message);
  }

  private static String describe(HeldLock lock) {
    if (lock.expressionKey() != null) {
      return "the lock of `" + lock.expressionKey() + "`";
    }
    return lock.display();
  }

}
