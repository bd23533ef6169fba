package dev.hangcheck.engine;

import com.google.errorprone.util.ASTHelpers;
import com.sun.tools.javac.code.Flags;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import dev.hangcheck.engine.SummaryFormat.Acquires;
import dev.hangcheck.engine.SummaryFormat.CalledUnder;
import dev.hangcheck.engine.SummaryFormat.OverriddenBy;
import dev.hangcheck.locks.LockId;
import dev.hangcheck.locks.LockName;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What the summaries say of locks, for the classes of one compilation: the locks each
 * non-private method takes, in its own terms (so that a caller compiled later sees which of its
 * objects it locks), and the overridable methods called while a lock is held (so that an override
 * compiled later runs with that lock held). Every method that takes or holds a lock is analysed
 * up front; of the others, only those that call one of them are analysed here.
 */
public final class LockSummaries {

  /** The lock facts of one top-level class. */
  public record OfClass(
      List<Acquires> acquires,
      List<CalledUnder> calledUnder,
      List<OverriddenBy> overriddenBy,
      Set<String> contributesTo,
      Set<String> acquiresKeys,
      Set<String> calledUnderKeys) {
    /**
     * The first place of each (method, lock taken) and of each (method called, lock held): one
     * is enough for the order it makes.
     */
    public OfClass() {
      this(
          new ArrayList<>(),
          new ArrayList<>(),
          new ArrayList<>(),
          new java.util.TreeSet<>(),
          new HashSet<>(),
          new HashSet<>());
    }
  }

  private LockSummaries() {}

  /** By top-level class compiled here: its lock facts (the classes with none are absent). */
  public static Map<ClassSymbol, OfClass> of(SourceIndex index) {
    Map<ClassSymbol, OfClass> byClass = new HashMap<>();
    // The methods that take a lock are analysed already; a method that takes none but calls one
    // of them takes its locks one call down (a public subscribe() calling a private addLocked()).
    Set<MethodSymbol> callers = new LinkedHashSet<>();
    Set<MethodSymbol> done = new HashSet<>();
    for (Body body : index.bodies()) {
      MethodSymbol method = body.symbol();
      if (body.kind() != Body.Kind.METHOD || method == null) {
        continue;
      }
      addOverriddenBy(body, method, index, byClass);
      for (CallSite call : body.calls()) {
        addContributedCall(call, body, index, byClass);
      }
      done.add(method);
      if (!body.acquisitions().isEmpty()) {
        callers.addAll(index.lockFreeCallersOf(method));
      }
      if (SummaryFormat.isVisibleOutsideItsPackage(method)) {
        addFacts(body, method, index, byClass);
      }
    }
    for (MethodSymbol caller : callers) {
      if (done.contains(caller) || !SummaryFormat.isVisibleOutsideItsPackage(caller)) {
        continue;
      }
      Body body = index.bodyOf(caller);
      if (body != null) {
        addFacts(body, caller, index, byClass);
      }
    }
    return byClass;
  }

  /** The locks the method takes in its body and one call below, and its calls under a lock. */
  private static void addFacts(
      Body body, MethodSymbol method, SourceIndex index, Map<ClassSymbol, OfClass> byClass) {
    String key = SummaryFormat.methodKey(method, index.types());
    OfClass facts = ofClass(byClass, SummaryFormat.topLevelClass(method));
    for (Acquisition acquisition : body.acquisitions()) {
      addAcquires(
          facts, key, body, acquisition.lock().name(), acquisition, acquisition.site(), holding(body, acquisition));
    }
    for (CallSite call : body.calls()) {
      addCalledUnder(call, body, index, byClass);
      Body callee = index.analysedBodyOf(call.callee());
      if (callee == null || callee == body || call.dispatchesVirtually() && !isOnlyTarget(call)) {
        continue;
      }
      for (Acquisition taken : callee.acquisitions()) {
        LockName inCallee = taken.lock().name();
        if (!isNamedForCallers(inCallee) || callee.isUncontended(inCallee) || taken.isReentrant()) {
          continue;
        }
        LockName inCaller = call.inCallersTerms(inCallee, index.types(), index.fieldAliases());
        if (!HeldLock.anySameObject(call.held(), inCaller)) {
          addAcquires(facts, key, body, inCaller, null, taken.site(), null);
        }
      }
    }
  }

  private static void addAcquires(
      OfClass facts,
      String key,
      Body body,
      LockName name,
      @Nullable Acquisition acquisition,
      Site site,
      @Nullable LockName holding) {
    String lockKey = name.root() + "" + name.parameter() + name.fields();
    String holdingKey =
        holding == null ? "" : holding.root() + "" + holding.parameter() + holding.fields();
    if (isNamedForCallers(name)
        && !body.isUncontended(name)
        && (acquisition == null || !acquisition.isReentrant())
        && facts.acquiresKeys().add(key + " " + lockKey + " " + holdingKey)) {
      facts.acquires().add(new Acquires(key, name, site.fileAndLine(), holding));
    }
  }

  /**
   * The innermost lock the body itself took and still holds where it takes {@code acquisition},
   * if a caller can name it: with it, a caller sees the order the body makes.
   */
  private static @Nullable LockName holding(Body body, Acquisition acquisition) {
    for (int i = acquisition.held().size() - 1; i >= 0; i--) {
      HeldLock outer = acquisition.held().get(i);
      boolean takenHere = body.acquisitions().stream().anyMatch(taken -> taken.lock() == outer);
      if (takenHere) {
        return isNamedForCallers(outer.name()) && !body.isUncontended(outer.name()) ? outer.name() : null;
      }
    }
    return null;
  }

  /** A call whose callee no override can replace. */
  private static boolean isOnlyTarget(CallSite call) {
    MethodSymbol callee = call.callee();
    return (callee.flags() & (Flags.FINAL | Flags.PRIVATE | Flags.STATIC)) != 0
        || (callee.owner.flags() & Flags.FINAL) != 0;
  }

  private static void addCalledUnder(
      CallSite call, Body body, SourceIndex index, Map<ClassSymbol, OfClass> byClass) {
    MethodSymbol callee = call.callee();
    if (call.held().isEmpty()
        || !call.dispatchesVirtually()
        || (callee.flags() & (Flags.FINAL | Flags.PRIVATE | Flags.STATIC)) != 0
        || (callee.owner.flags() & Flags.FINAL) != 0
        || !SummaryFormat.isVisibleOutsideItsPackage(callee)) {
      return; // no class of another compilation can override it
    }
    addHeldAtCall(call, body, index, byClass);
  }

  /**
   * A call, holding a lock, of a method of another top-level class of this compilation: in that
   * class's summary, so that when only that class is compiled again, the method's body still
   * runs under the lock.
   */
  private static void addContributedCall(
      CallSite call, Body body, SourceIndex index, Map<ClassSymbol, OfClass> byClass) {
    MethodSymbol callee = call.callee();
    ClassSymbol calleeClass = SummaryFormat.topLevelClass(callee);
    if (call.held().isEmpty()
        || (callee.flags() & Flags.PRIVATE) != 0
        || calleeClass == null
        || body.symbol() == null
        || calleeClass == SummaryFormat.topLevelClass(body.symbol())) {
      return;
    }
    addHeldAtCall(call, body, index, byClass);
  }

  private static void addHeldAtCall(
      CallSite call, Body body, SourceIndex index, Map<ClassSymbol, OfClass> byClass) {
    MethodSymbol callee = call.callee();
    ClassSymbol calleeClass = SummaryFormat.topLevelClass(callee);
    if (calleeClass == null || SummaryFormat.isPlatformClass(calleeClass)) {
      return; // the JDK has no summaries
    }
    // A class not compiled here keeps the fact only if its summary is in this run's output.
    noteContribution(body, calleeClass, byClass);
    String key = SummaryFormat.methodKey(callee, index.types());
    OfClass facts = ofClass(byClass, calleeClass);
    for (HeldLock held : call.held()) {
      LockName absolute = absolute(held.name());
      if (absolute != null
          && !body.isUncontended(held.name())
          && facts.calledUnderKeys().add(key + " " + absolute.family().key())) {
        facts
            .calledUnder()
            .add(
                new CalledUnder(
                    key, absolute, call.site().fileAndLine(), body.display(), classOf(body)));
      }
    }
  }

  /**
   * Records in the summary of the body's class that it gave {@code target}'s summary facts: when
   * it is compiled again without {@code target}, those are replaced there.
   */
  private static void noteContribution(Body body, ClassSymbol target, Map<ClassSymbol, OfClass> byClass) {
    ClassSymbol own = body.symbol() == null ? null : SummaryFormat.topLevelClass(body.symbol());
    if (own != null && own != target) {
      ofClass(byClass, own).contributesTo().add(target.flatName().toString());
    }
  }

  /** The flat name of the top-level class a body's code is in. */
  private static String classOf(Body body) {
    MethodSymbol method = body.symbol();
    ClassSymbol top = method == null ? null : SummaryFormat.topLevelClass(method);
    return top == null ? "-" : top.flatName().toString();
  }

  /**
   * For a method that overrides one of another class of this compilation ({@code
   * Catalog.onEvent} of {@code Bus.Listener}), the locks it takes, in that class's summary: when
   * only that class is compiled again, its calls of the method still reach them.
   */
  private static void addOverriddenBy(
      Body body, MethodSymbol method, SourceIndex index, Map<ClassSymbol, OfClass> byClass) {
    if (body.acquisitions().isEmpty() || method.isStatic() || method.isConstructor()) {
      return;
    }
    ClassSymbol own = SummaryFormat.topLevelClass(method);
    for (MethodSymbol overridden : ASTHelpers.findSuperMethods(method, index.types())) {
      ClassSymbol declaring = SummaryFormat.topLevelClass(overridden);
      if (declaring == null || declaring == own || SummaryFormat.isPlatformClass(declaring)) {
        continue;
      }
      noteContribution(body, declaring, byClass);
      String key = SummaryFormat.methodKey(overridden, index.types());
      OfClass facts = ofClass(byClass, declaring);
      for (Acquisition acquisition : body.acquisitions()) {
        LockName name = acquisition.lock().name();
        if (isNamedForCallers(name)
            && !body.isUncontended(name)
            && !acquisition.isReentrant()
            && facts.calledUnderKeys().add("overridden " + key + " " + name + " " + method)) {
          facts
              .overriddenBy()
              .add(
                  new OverriddenBy(
                      key,
                      name,
                      acquisition.site().fileAndLine(),
                      body.display(),
                      own == null ? "-" : own.flatName().toString()));
        }
      }
    }
  }

  private static OfClass ofClass(Map<ClassSymbol, OfClass> byClass, ClassSymbol cls) {
    return byClass.computeIfAbsent(cls, k -> new OfClass());
  }

  /** A lock a caller can name: its object, an argument, a path from them, or a global lock. */
  private static boolean isNamedForCallers(LockName name) {
    LockId family = name.family();
    return family != null
        && family.isGraphNode()
        && (name.isRelative() || name.root() == LockName.Root.GLOBAL);
  }

  /**
   * The lock as code that runs under it elsewhere can know it: a global lock itself, any other by
   * its family (some lock of that field, the monitor of some object of that class).
   */
  private static @Nullable LockName absolute(LockName name) {
    LockId family = name.family();
    if (family == null || !family.isGraphNode()) {
      return null;
    }
    return name.root() == LockName.Root.GLOBAL ? name : LockName.unknown(family, family.display());
  }
}
