package dev.hangcheck.lockgraph;

import com.google.common.collect.ImmutableSet;
import com.google.common.collect.ImmutableSortedSet;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import dev.hangcheck.engine.Acquisition;
import dev.hangcheck.engine.Body;
import dev.hangcheck.engine.CallSite;
import dev.hangcheck.engine.Findings;
import dev.hangcheck.engine.HeldLock;
import dev.hangcheck.engine.ParameterGuard;
import dev.hangcheck.engine.Reentry;
import dev.hangcheck.engine.Site;
import dev.hangcheck.engine.SourceIndex;
import dev.hangcheck.engine.ThisClass;
import dev.hangcheck.engine.TransitiveFacts;
import dev.hangcheck.engine.WorkBudget;
import dev.hangcheck.lockgraph.RelativeLocks.Relative;
import dev.hangcheck.locks.LockId;
import dev.hangcheck.locks.LockName;
import dev.hangcheck.locks.Names;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Finds lock-order cycles: builds the graph "lock Y is acquired while lock X is held" of a
 * compilation from the bodies' acquisitions and calls, each judged in its caller's context, and
 * reports each site of an edge that lies on a cycle.
 *
 * <p>First a graph of lock families and methods, linear in the code, tells which locks can be on
 * a cycle at all ({@link CandidateCycles}); only there are acquisitions through calls listed,
 * with the locks held at each call and those every caller holds ({@link CallerContext}) taken as
 * reentrant.
 */
public final class LockOrderAnalysis {

  public static final String CHECK_NAME = "LockOrderInversion";

  /** The check that holds the code to its declared lock order, with this analysis's edges. */
  public static final String VIOLATION_CHECK_NAME = "LockOrderViolation";

  /**
   * "{@code to} is acquired while {@code from} is held", at {@code site}.
   *
   * @param acquired how the code there names the lock acquired
   * @param chain for an edge made by a call, the calls down to the acquisition; else null
   * @param guards the other locks held there, with those every caller holds, the UI thread where
   *     the site runs only there, and construction order where the lock taken is of an object
   *     older than the held one's ({@link ConstructionOrder}): a lock held at every edge of a
   *     cycle keeps its threads apart
   */
  record Edge(
      LockId from,
      LockId to,
      HeldLock holding,
      Site site,
      String acquired,
      TransitiveFacts.@Nullable Chain chain,
      ImmutableSet<LockId> guards) {}

  private final SourceIndex index;
  private final WorkBudget budget;
  private final int maxCallDepth;
  private final int maxCycleCalls;
  private final RelativeLocks relative;
  private final Findings findings;
  /**
   * In cycle mode, the declared order whose violations LockOrderViolation reports: those edges
   * are left out, so that a cycle is not reported twice; in violation mode, the order checked.
   */
  private final DeclaredOrder declared;
  private final boolean violationMode;
  /** Whether every lock and body is analysed, for the picture of the whole graph. */
  private boolean wholeGraph;
  /** For the picture: the edges left to LockOrderViolation, drawn though on no cycle. */
  private final List<Edge> leftOutAsViolations = new java.util.ArrayList<>();
  private final LockGraph<Edge> graph = new LockGraph<>();
  private CandidateCycles.Candidates candidates;
  private CallerContext context;
  private TransitiveFacts<Acquired> acquires;

  private LockOrderAnalysis(
      SourceIndex index,
      WorkBudget budget,
      int maxCallDepth,
      int maxCycleCalls,
      DeclaredOrder declared,
      boolean violationMode) {
    this.index = index;
    this.maxCycleCalls = maxCycleCalls;
    this.declared = declared;
    this.violationMode = violationMode;
    this.findings =
        new Findings(violationMode ? ViolationReport::othersNote : CycleReport::othersNote);
    this.budget = budget;
    this.maxCallDepth = maxCallDepth;
    this.relative = new RelativeLocks(index, maxCallDepth - 1);
  }

  /**
   * @param maxCallDepth how many calls a chain from a call made under a lock down to another
   *     lock's acquisition may have ({@code Integer.MAX_VALUE}: any)
   * @param maxCycleCalls how many calls the chains of a cycle may have together for it to be
   *     reported ({@code Integer.MAX_VALUE}: any)
   * @param reportedAsViolations the declared order LockOrderViolation holds the code to: an edge
   *     against it is reported there, and is no edge of a cycle here
   */
  public static Findings analyze(
      SourceIndex index,
      WorkBudget budget,
      int maxCallDepth,
      int maxCycleCalls,
      DeclaredOrder reportedAsViolations) {
    return run(
        new LockOrderAnalysis(
            index, budget, maxCallDepth, maxCycleCalls, reportedAsViolations, false));
  }

  /**
   * Every place that acquires a lock while holding one the declared order puts after it, through
   * calls at any depth.
   */
  public static Findings analyzeViolations(
      SourceIndex index, WorkBudget budget, DeclaredOrder declared) {
    if (declared.isEmpty()) {
      return new Findings();
    }
    return run(
        new LockOrderAnalysis(
            index, budget, Integer.MAX_VALUE, Integer.MAX_VALUE, declared, true));
  }

  /**
   * The whole lock graph of the compilation, every order and not only those on a cycle, with
   * the sites LockOrderInversion reports marked: for drawing it ({@link LockGraphFiles}).
   */
  static Picture picture(
      SourceIndex index,
      WorkBudget budget,
      int maxCallDepth,
      int maxCycleCalls,
      DeclaredOrder declared,
      boolean violationsReported) {
    LockOrderAnalysis analysis =
        new LockOrderAnalysis(
            index,
            budget,
            maxCallDepth,
            maxCycleCalls,
            violationsReported ? declared : DeclaredOrder.NONE,
            false);
    analysis.wholeGraph = true;
    run(analysis);
    // The cycles are reported: the edges left to LockOrderViolation join the graph only now.
    for (Edge violation : analysis.leftOutAsViolations) {
      analysis.graph.addEdge(violation.from(), violation.to(), violation);
    }
    return new Picture(analysis.graph, analysis.findings, declared);
  }

  /** The graph, what LockOrderInversion reports in it, and the declared order beside it. */
  record Picture(LockGraph<Edge> graph, Findings onCycles, DeclaredOrder declared) {}

  private static Findings run(LockOrderAnalysis analysis) {
    try {
      analysis.run();
    } catch (WorkBudget.Exhausted e) {
      analysis.findings.markIncomplete();
    }
    return analysis.findings;
  }

  private void run() {
    candidates =
        wholeGraph
            ? CandidateCycles.everything(index, relative, budget)
            : CandidateCycles.find(
                index, relative, budget, violationMode ? declared : DeclaredOrder.NONE);
    if (!violationMode) {
      new SameClassPairs(index, relative, budget, findings).report(candidates.analysed());
    }
    if (candidates.locks().isEmpty()) {
      return;
    }
    context = new CallerContext(index, candidates.analysed());
    acquires =
        new TransitiveFacts<>(
            index,
            this::candidateAcquisitions,
            candidates.bodies()::contains,
            this::throughCall)
            .withMaxDepth(maxCallDepth - 1);
    for (Body body : candidates.analysed()) {
      if (!body.isSuppressed(violationMode ? VIOLATION_CHECK_NAME : CHECK_NAME)) {
        addDirectEdges(body);
        addCallEdges(body);
      }
    }
    if (violationMode) {
      new ViolationReport(graph, declared, budget, findings).report();
    } else {
      int tooDeep = new CycleReport(graph, budget, findings, maxCycleCalls).report();
      if (tooDeep > 0) {
        findings.setNote(CycleReport.tooDeepNote(tooDeep, maxCycleCalls));
      }
    }
  }

  private @Nullable Acquired throughCall(CallSite call, Body callee, Acquired acquired) {
    return throughCall(call, callee, acquired, null);
  }

  /**
   * @param inCaller the fact's name in the caller's terms when the caller has it already (it is
   *     made only once the cheaper tests pass otherwise)
   */
  private @Nullable Acquired throughCall(
      CallSite call, Body callee, Acquired acquired, @Nullable LockName inCaller) {
    if (isOwnLockOfAnUnpublishedObject(call, acquired.lock())) {
      return null;
    }
    ThisClass.Need need = ThisClass.through(call, callee, acquired.thisClass(), index);
    if (need == null) {
      return null;
    }
    ParameterGuard guard = ParameterGuard.through(call, acquired.guard());
    if (guard == ParameterGuard.NEVER) {
      return null; // a constant argument rules out the branch that takes it
    }
    if (acquired.name() == null) {
      return new Acquired(acquired.lock(), need, null, acquired.released(), guard)
          .releasing(call.releasedBefore());
    }
    if (!RelativeLocks.receiverCanBe(call, acquired.name().name(), index)) {
      return null;
    }
    LockName named = inCaller != null ? inCaller : inCallersTerms(call, acquired);
    if (call.site().body().isUncontended(named)) {
      return null;
    }
    return new Acquired(acquired.lock(), need, relativeOrNull(named), acquired.released(), guard)
        .releasing(call.releasedBefore());
  }

  private static @Nullable Relative relativeOrNull(LockName name) {
    return name.isRelative() ? Relative.of(name) : null;
  }

  /**
   * Whether a callee's lock is, at this call, a lock of an object no other thread can reach yet:
   * the monitor (or a lock field it allocated) of the object a constructor is building, taken by
   * code the constructor calls on it, or of an object the caller just allocated.
   */
  private boolean isOwnLockOfAnUnpublishedObject(CallSite call, LockId lock) {
    Body caller = call.site().body();
    boolean constructorOnThis =
        call.onThis()
            && caller.kind() == Body.Kind.METHOD
            && caller.symbol() != null
            && caller.symbol().isConstructor();
    LockName receiver = constructorOnThis || call.callee().isStatic() ? null : call.receiverName();
    if (!constructorOnThis && (receiver == null || receiver.root() != LockName.Root.FRESH)) {
      return false;
    }
    ClassSymbol object =
        constructorOnThis ? caller.symbol().enclClass() : call.callee().enclClass();
    LockId monitor = LockId.object(object);
    if (monitor != null && index.mayBeSameObject(monitor, lock) && lock.kind() == LockId.Kind.OBJECT) {
      return true;
    }
    return lock.kind() == LockId.Kind.FIELD
        && lock.objectClass() != null
        && lock.key().startsWith(Names.classKey(object) + "#");
  }

  private boolean isCandidate(Body body, HeldLock lock) {
    return CandidateCycles.isNode(body, lock) && candidates.locks().contains(lock.id());
  }

  /** The candidate locks a body takes itself, or through a callee that locks its argument. */
  private SortedMap<Acquired, Site> candidateAcquisitions(Body body) {
    SortedMap<Acquired, Site> acquired = new TreeMap<>();
    for (Acquisition acquisition : body.acquisitions()) {
      HeldLock lock = acquisition.lock();
      if (isCandidate(body, lock)) {
        Relative name =
            body.isUncontended(lock.name()) ? null : relativeOrNull(lock.name());
        acquired.putIfAbsent(
            new Acquired(
                lock.id(),
                ThisClass.Need.NOTHING,
                name,
                acquisition.releasedBefore(),
                acquisition.guard()),
            acquisition.site());
      }
    }
    for (CallSite call : body.calls()) {
      for (RelativeLocks.AtCall at : relative.atCall(call)) {
        LockId family = at.refinedFamily();
        if (family != null && candidates.locks().contains(family)) {
          acquired.putIfAbsent(
              new Acquired(
                  family,
                  at.need(),
                  relativeOrNull(at.inCaller()),
                  call.releasedBefore(),
                  call.guard()),
              call.site());
        }
      }
    }
    budget.spend(1 + acquired.size());
    return acquired;
  }

  /**
   * Whether taking {@code lock} where {@code held} is held (and the context, but for the locks of
   * the caller the body {@code released} before) may not wait.
   */
  private boolean isReentrant(
      Body body,
      List<HeldLock> held,
      LockId lock,
      @Nullable LockName name,
      ImmutableSortedSet<LockId> released) {
    for (HeldLock outer : held) {
      if ((name != null && outer.name().sameObjectAs(name))
          || outer.mayBe(lock)
          || (outer.id() != null && index.mayBeSameObject(outer.id(), lock))) {
        return true;
      }
    }
    for (LockId always : heldOnEntry(body, released)) {
      if (index.mayBeSameObject(always, lock)) {
        return true;
      }
    }
    return false;
  }

  /** What the body always runs under, but for the locks of its callers it released there. */
  private Set<LockId> heldOnEntry(Body body, ImmutableSortedSet<LockId> released) {
    ImmutableSet<LockId> always = context.heldOnEntry(body);
    if (released.isEmpty() || always.isEmpty()) {
      return always;
    }
    Set<LockId> still = new java.util.LinkedHashSet<>(always);
    still.removeAll(released);
    return still;
  }

  private void addDirectEdges(Body body) {
    for (Acquisition acquisition : body.acquisitions()) {
      HeldLock inner = acquisition.lock();
      if (acquisition.held().isEmpty()
          || !isCandidate(body, inner)
          || context.everyCallRulesOut(body, acquisition.guard())
          || isReentrant(
              body, acquisition.held(), inner.id(), inner.name(), acquisition.releasedBefore())) {
        continue;
      }
      addEdges(
          body,
          acquisition.held(),
          acquisition.releasedBefore(),
          inner.id(),
          inner.name(),
          acquisition.site(),
          inner.display(),
          null);
    }
  }

  /**
   * Edges through the calls a body makes while it holds a lock. A callee's acquisition reached
   * only by re-entering the body itself, every chain of calls to it running the body again
   * ({@code closeNow()} -> {@code destroy()} -> ... -> {@code closeNow()} -> {@code
   * fireFilterClose()}), is left out ({@link Reentry}).
   */
  private void addCallEdges(Body body) {
    for (CallSite call : body.calls()) {
      if (call.held().stream().noneMatch(lock -> isCandidate(body, lock))) {
        continue;
      }
      Set<List<Object>> seen = new HashSet<>();
      // Families a target takes only after releasing locks of this caller: the relative names
      // below do not know of the release, and must not add them back.
      Set<LockId> takenAfterReleases = new HashSet<>();
      List<Body> targets = index.targets(call, b -> true);
      for (Body target : targets) {
        if (!candidates.bodies().contains(target)) {
          continue;
        }
        // One edge per lock family (and locks released on the way): of the ways this target
        // takes it that are not reentrant here (another object of the family than the one held),
        // the one with the shortest chain. Chains are built only where one family is taken in two
        // ways.
        Map<List<Object>, Way> shortest = new LinkedHashMap<>();
        for (Acquired fact : acquires.of(target).keySet()) {
          budget.spend(1 + call.held().size());
          LockId acquired = fact.lock();
          List<Object> key = List.of(acquired, fact.released());
          if (seen.contains(key)) {
            continue;
          }
          List<HeldLock> held = heldAfterReleases(call.held(), fact.released());
          if (held.size() < call.held().size()) {
            takenAfterReleases.add(acquired);
          }
          if (held.stream().noneMatch(lock -> isCandidate(body, lock))) {
            continue;
          }
          LockName inCaller = inCallersTerms(call, fact);
          Acquired inThisBody = throughCall(call, target, fact, inCaller);
          if (inThisBody == null
              || context.everyCallRulesOut(body, inThisBody.guard())
              || isReentrant(body, held, acquired, inCaller, releasedAt(call, fact))
              || Reentry.onlyByReentering(acquires, target, fact, body, budget)) {
            continue;
          }
          Way best = shortest.get(key);
          if (best == null) {
            shortest.put(key, new Way(fact, inCaller, held, null));
            continue;
          }
          TransitiveFacts.Chain bestChain =
              best.chain() != null ? best.chain() : acquires.chain(target, best.fact());
          TransitiveFacts.Chain chain = acquires.chain(target, fact);
          shortest.put(
              key,
              chain.length() < bestChain.length()
                  ? new Way(fact, inCaller, held, chain)
                  : new Way(best.fact(), best.inCaller(), best.held(), bestChain));
        }
        shortest.forEach(
            (key, way) -> {
              seen.add(key);
              LockId acquired = way.fact().lock();
              String text =
                  way.inCaller() == null
                      ? acquired.display()
                      : way.inCaller().withFamily(acquired).display();
              TransitiveFacts.Chain chain =
                  way.chain() != null ? way.chain() : acquires.chain(target, way.fact());
              addEdges(
                  body,
                  way.held(),
                  releasedAt(call, way.fact()),
                  acquired,
                  way.inCaller(),
                  call.site(),
                  text,
                  prepend(call, target, chain));
            });
      }
      for (RelativeLocks.AtCall at : relative.atCall(call)) {
        LockId acquired = at.inCaller().family();
        if (acquired == null
            || !candidates.locks().contains(acquired)
            || takenAfterReleases.contains(acquired)
            || context.everyCallRulesOut(body, at.guard())
            || isReentrant(body, call.held(), acquired, at.inCaller(), call.releasedBefore())
            || relative.onlyThrough(at.callee(), at.calleeLock(), body, budget)
            || !seen.add(List.of(acquired, ImmutableSortedSet.<LockId>of()))) {
          continue;
        }
        TransitiveFacts.Chain rest = relative.chain(at.callee(), at.calleeLock());
        addEdges(
            body,
            call.held(),
            call.releasedBefore(),
            acquired,
            at.inCaller(),
            call.site(),
            at.inCaller().display(),
            prepend(call, at.callee(), rest));
      }
    }
  }

  /**
   * One way a target takes a lock family: the fact, its name at the call, the locks still held
   * when it is taken, its chain if built.
   */
  private record Way(
      Acquired fact,
      @Nullable LockName inCaller,
      List<HeldLock> held,
      TransitiveFacts.@Nullable Chain chain) {}

  /**
   * The locks of the body's callers not held when a callee takes {@code fact}: those the body
   * released before the call, and those the callees released on the way.
   */
  private static ImmutableSortedSet<LockId> releasedAt(CallSite call, Acquired fact) {
    return fact.released().isEmpty()
        ? call.releasedBefore()
        : fact.releasing(call.releasedBefore()).released();
  }

  /** The locks held at a call that are still held after the callees released {@code released}. */
  private static List<HeldLock> heldAfterReleases(
      List<HeldLock> held, ImmutableSortedSet<LockId> released) {
    if (released.isEmpty()) {
      return held;
    }
    return held.stream().filter(lock -> lock.id() == null || !released.contains(lock.id())).toList();
  }

  private @Nullable LockName inCallersTerms(CallSite call, Acquired fact) {
    return fact.name() == null ? null : relative.inCallersTerms(call, fact.name().name());
  }

  private static TransitiveFacts.Chain prepend(
      CallSite call, Body target, TransitiveFacts.Chain rest) {
    return rest.after(new TransitiveFacts.Step(call, target));
  }

  /** @param released the locks of the body's callers it released before the site */
  private void addEdges(
      Body body,
      List<HeldLock> held,
      ImmutableSortedSet<LockId> released,
      LockId acquired,
      @Nullable LockName acquiredName,
      Site site,
      String acquiredText,
      TransitiveFacts.@Nullable Chain chain) {
    Set<LockId> always = heldOnEntry(body, released);
    boolean singleThread = ThreadConfinement.runsOnUiThreadOnly(body);
    Set<HeldLock> waited = candidates.waitedFor(body);
    // A declared order is broken by every lock held, not only the innermost: there, no edge
    // covers another.
    List<HeldLock> sources =
        violationMode
            ? held
            : CandidateCycles.edgeSources(
            held,
            j -> {
              HeldLock lock = held.get(j);
              return waited.contains(lock)
                  && isCandidate(body, lock)
                  && !isReentrant(body, held.subList(0, j), lock.id(), lock.name(), released);
            });
    for (HeldLock outer : sources) {
      if (!isCandidate(body, outer) || index.mayBeSameObject(outer.id(), acquired)) {
        continue;
      }
      boolean leftToViolations =
          !violationMode && declared.putsBefore(acquired, outer.id()) != null;
      if (leftToViolations && !wholeGraph) {
        continue;
      }
      ImmutableSet.Builder<LockId> guards = ImmutableSet.<LockId>builder().addAll(always);
      if (singleThread) {
        guards.add(LockId.UI_THREAD);
      }
      ConstructionOrder.Age age =
          ConstructionOrder.of(outer.name(), outer.id(), acquiredName, acquired, index.fieldAliases());
      if (age != ConstructionOrder.Age.ANY) {
        guards.add(LockId.NOT_YOUNGER_OBJECT);
      }
      if (age == ConstructionOrder.Age.OLDER) {
        guards.add(LockId.OLDER_OBJECT);
      }
      for (HeldLock other : held) {
        if (other.id() != null && !other.id().equals(acquired) && !other.id().equals(outer.id())) {
          guards.add(other.id());
        }
      }
      Edge edge = new Edge(outer.id(), acquired, outer, site, acquiredText, chain, guards.build());
      if (leftToViolations) {
        leftOutAsViolations.add(edge);
      } else {
        graph.addEdge(outer.id(), acquired, edge);
      }
    }
  }
}
