package dev.hangcheck.lockgraph;

import com.google.common.collect.ImmutableSet;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import dev.hangcheck.engine.Body;
import dev.hangcheck.engine.CallSite;
import dev.hangcheck.engine.HeldLock;
import dev.hangcheck.engine.ParameterGuard;
import dev.hangcheck.engine.SourceIndex;
import dev.hangcheck.locks.LockId;
import dev.hangcheck.locks.Names;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The locks a method always runs under: those held at every call of it in the compilation, with
 * what its callers always run under. A lock the method takes again there is reentrant: {@code
 * FileLayer.rollback()} taking {@code store.storeLock} under its own monitor makes no order
 * "FileLayer, then storeLock" when its only caller already holds {@code storeLock}.
 *
 * <p>Only methods whose every call is known count: called from analysed code only (a caller that
 * takes no lock itself counts when it is analysed: its calls hold what it runs under), overriding
 * only methods of the compilation whose calls are known the same way (an override runs where
 * they are called: {@code receive()} calling the abstract {@code handle()} under its monitor),
 * named by no method reference, and in no call cycle (a recursive method is its own
 * caller, and the first call into the cycle is not told apart). A field a class allocates, or a
 * singleton, is taken to be the lock its family names (a store and its own lock field); an object
 * known only by its class is the callee's own only when it is the object the callee runs on.
 */
final class CallerContext {

  private final SourceIndex index;
  private final Map<Body, List<CallSite>> callsOf = new IdentityHashMap<>();
  private final Set<Body> recursive = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Map<Body, ImmutableSet<LockId>> known = new IdentityHashMap<>();
  private final Set<Body> analysedSet = Collections.newSetFromMap(new IdentityHashMap<>());
  /** The analysed calls of each method as written, and the bodies each may run. */
  private final Map<MethodSymbol, List<CallSite>> callsWritten = new IdentityHashMap<>();
  private final Map<CallSite, List<Body>> targetsOf = new IdentityHashMap<>();
  private final Map<Body, List<CallSite>> eligible = new IdentityHashMap<>();

  CallerContext(SourceIndex index, List<Body> analysed) {
    this.index = index;
    this.analysedSet.addAll(analysed);
    Map<Body, Integer> numbers = new IdentityHashMap<>();
    Components.Graph calls = new Components.Graph();
    for (Body body : analysed) {
      numbers.put(body, calls.addNode());
    }
    for (Body caller : analysed) {
      for (CallSite call : caller.calls()) {
        for (Body callee : record(call)) {
          Integer from = numbers.get(caller);
          Integer to = numbers.get(callee);
          if (to != null) {
            calls.addEdge(from, to);
            if (callee == caller) {
              recursive.add(callee);
            }
          }
        }
      }
    }
    int[] component = Components.of(calls);
    Map<Integer, Integer> sizes = new java.util.HashMap<>();
    for (int c : component) {
      sizes.merge(c, 1, Integer::sum);
    }
    for (Body body : analysed) {
      if (sizes.get(component[numbers.get(body)]) > 1) {
        recursive.add(body);
      }
    }
  }

  /**
   * Notes a call of analysed code: the method it names, and the bodies it may run (the method
   * called and, for a virtual call, its overrides), which it returns.
   */
  private List<Body> record(CallSite call) {
    List<Body> targets = index.targets(call, analysedSet::contains);
    targetsOf.put(call, targets);
    callsWritten.computeIfAbsent(call.callee(), k -> new ArrayList<>()).add(call);
    for (Body callee : targets) {
      callsOf.computeIfAbsent(callee, k -> new ArrayList<>()).add(call);
    }
    return targets;
  }

  private boolean isAnalysed(MethodSymbol method) {
    Body body = index.analysedBodyOf(method);
    if (body != null && analysedSet.contains(body)) {
      return true;
    }
    return method.isConstructor() && addConstructor(method);
  }

  /**
   * A constructor that calls a method of the compilation, taking no lock itself: its calls are
   * known too (on the object it builds, which no other thread can reach yet; on any other, with
   * nothing held), and are added when a method it calls is judged.
   */
  private boolean addConstructor(MethodSymbol constructor) {
    Body body = index.bodyOf(constructor);
    if (body == null) {
      return false;
    }
    if (analysedSet.add(body)) {
      body.calls().forEach(this::record);
    }
    return true;
  }

  /** The families of the locks held on every path into {@code body}. */
  ImmutableSet<LockId> heldOnEntry(Body body) {
    ImmutableSet<LockId> result = known.get(body);
    if (result != null) {
      return result;
    }
    // Callers first, without recursion: a call chain may be thousands of methods deep. Among
    // methods in no call cycle, callers form no cycle either.
    Deque<Body> pending = new ArrayDeque<>();
    pending.push(body);
    while (!pending.isEmpty()) {
      Body next = pending.peek();
      if (known.containsKey(next)) {
        pending.pop();
        continue;
      }
      List<CallSite> calls = eligibleCalls(next);
      if (calls == null) {
        known.put(next, ImmutableSet.of());
        pending.pop();
        continue;
      }
      boolean waiting = false;
      for (CallSite call : calls) {
        if (!known.containsKey(call.site().body())) {
          pending.push(call.site().body());
          waiting = true;
        }
      }
      if (!waiting) {
        pending.pop();
        known.put(next, intersect(calls));
      }
    }
    return known.get(body);
  }

  /**
   * Whether no call of {@code body} can run what {@code guard} guards in it: the body's every
   * call is known, and each passes constant arguments that fail the guard ({@code resolve(null)}
   * everywhere, where the lock is taken only {@code if (wiring != null)}).
   */
  boolean everyCallRulesOut(Body body, @Nullable ParameterGuard guard) {
    if (guard == null) {
      return false;
    }
    List<CallSite> calls = eligibleCalls(body);
    if (calls == null) {
      return false;
    }
    for (CallSite call : calls) {
      if (guard.atCall(call) != ParameterGuard.NEVER) {
        return false;
      }
    }
    return true;
  }

  /** The calls of a method whose every call is known; null when some are not, or none exist. */
  private @Nullable List<CallSite> eligibleCalls(Body body) {
    List<CallSite> calls = eligible.computeIfAbsent(body, this::findEligibleCalls);
    return calls.isEmpty() ? null : calls;
  }

  /** {@link #eligibleCalls}, with an empty list for null: asked again for every guarded edge. */
  private List<CallSite> findEligibleCalls(Body body) {
    if (body.kind() != Body.Kind.METHOD
        || recursive.contains(body)
        || !index.hasOnlyAnalysedCallers(body.symbol(), this::isAnalysed)
        || !everyCallOfWhatItOverridesIsFollowed(body)) {
      return List.of();
    }
    return callsOf.getOrDefault(body, List.of());
  }

  /**
   * For an override, whether each call of a method it overrides either may run it and is among
   * its calls, or cannot run it (its receiver is of no class that has it): a call whose receiver
   * may be of many classes is followed into none of them, and would otherwise be missed here.
   */
  private boolean everyCallOfWhatItOverridesIsFollowed(Body body) {
    MethodSymbol method = body.symbol();
    for (MethodSymbol overridden :
        com.google.errorprone.util.ASTHelpers.findSuperMethods(method, index.types())) {
      for (CallSite call : callsWritten.getOrDefault(overridden, List.of())) {
        if (!targetsOf.getOrDefault(call, List.of()).contains(body)
            && index.receiverMayBeA(call, method.enclClass())) {
          return false;
        }
      }
    }
    return true;
  }

  private ImmutableSet<LockId> intersect(List<CallSite> calls) {
    Set<LockId> common = null;
    List<CallSite> fromConstructors = new ArrayList<>();
    for (CallSite call : calls) {
      if (isConstructorCallOnThis(call)) {
        fromConstructors.add(call); // judged once the others are known
        continue;
      }
      Set<LockId> here = new HashSet<>();
      for (HeldLock lock : call.held()) {
        if (lock.id() != null
            && !call.site().body().isUncontended(lock.name())
            && (lock.id().kind() != LockId.Kind.OBJECT || call.onThis())) {
          here.add(lock.id());
        }
      }
      for (LockId lock : known.get(call.site().body())) {
        if ((lock.kind() != LockId.Kind.OBJECT || call.onThis())
            && !call.releasedBefore().contains(lock)) {
          here.add(lock);
        }
      }
      if (common == null) {
        common = here;
      } else {
        common.retainAll(here);
      }
      if (common.isEmpty()) {
        return ImmutableSet.of();
      }
    }
    if (common == null) {
      return ImmutableSet.of();
    }
    // A constructor calling the method on the object it builds holds no lock of that object, but
    // none is needed: no other thread can reach the object yet.
    for (CallSite call : fromConstructors) {
      ClassSymbol built = call.site().body().symbol().enclClass();
      common.removeIf(lock -> !isOwnLock(lock, built));
    }
    return ImmutableSet.copyOf(common);
  }

  private static boolean isConstructorCallOnThis(CallSite call) {
    Body caller = call.site().body();
    return call.onThis()
        && caller.kind() == Body.Kind.METHOD
        && caller.symbol() != null
        && caller.symbol().isConstructor();
  }

  /** Whether {@code lock} is a lock of an object of class {@code cls}: its monitor or a field. */
  private boolean isOwnLock(LockId lock, ClassSymbol cls) {
    ClassSymbol objectClass = lock.objectClass();
    if (lock.kind() == LockId.Kind.OBJECT) {
      return objectClass != null
          && (cls.isSubClass(objectClass, index.types()) || objectClass.isSubClass(cls, index.types()));
    }
    if (lock.kind() == LockId.Kind.FIELD) {
      for (com.sun.tools.javac.code.Type type : index.types().closure(cls.type)) {
        if (lock.key().startsWith(Names.classKey(type.tsym) + "#")) {
          return true;
        }
      }
    }
    return false;
  }
}
