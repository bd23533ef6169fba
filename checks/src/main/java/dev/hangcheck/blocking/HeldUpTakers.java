package dev.hangcheck.blocking;

import com.google.common.collect.ImmutableSet;
import com.sun.tools.javac.code.Flags;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.code.Types;
import dev.hangcheck.engine.Acquisition;
import dev.hangcheck.engine.Body;
import dev.hangcheck.engine.HeldLock;
import dev.hangcheck.engine.SourceIndex;
import dev.hangcheck.locks.LockId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The places that take a lock and never block while they hold it: the threads that a holder
 * blocking under that lock holds up. A lock that every taker holds while it blocks (one
 * connection's I/O serialised, a start/stop lock whose both ends wait) makes nobody wait who was
 * not going to wait for the same kind of work anyway; a lock that quick code takes too makes that
 * code as slow as the slowest holder, and that is what BlockingCallUnderLock reports.
 */
final class HeldUpTakers {

  /**
   * The methods that start and stop a component: two of them waiting for each other under the
   * component's lock is the serialisation the lock is there for (a concurrent {@code stop()} kept
   * out while {@code start()} waits for its thread), not a thread held up.
   */
  private static final ImmutableSet<String> LIFECYCLE_METHODS =
      ImmutableSet.of(
          "start",
          "startup",
          "stop",
          "close",
          "shutdown",
          "shutdownNow",
          "halt",
          "destroy",
          "dispose",
          "terminate",
          "init",
          "initialize",
          "open",
          "restart");

  /** For each lock family, the first quick taker in source order. */
  private final Map<LockId, Acquisition> byFamily = new HashMap<>();
  /**
   * For each class: the first quick taker of the monitor of an object of that class or of a
   * subtype, which may be the same object as one locked as that class.
   */
  private final Map<ClassSymbol, Acquisition> byClassOrSubtype = new HashMap<>();

  private final Types types;

  private HeldUpTakers(Types types) {
    this.types = types;
  }

  /**
   * @param blockingHolds the locks, each as taken at one site, that stay held while their holder
   *     blocks within {@link UnderLockAnalysis#SERIALISED_WORK_DEPTH} calls
   */
  static HeldUpTakers in(SourceIndex index, Set<HeldLock> blockingHolds) {
    HeldUpTakers takers = new HeldUpTakers(index.types());
    for (Body body : index.bodies()) {
      for (Acquisition acquisition : body.acquisitions()) {
        LockId id = acquisition.lock().id();
        if (id != null
            && !blockingHolds.contains(acquisition.lock())
            && !acquisition.isReentrant()
            && !body.isUncontended(acquisition.lock().name())) {
          takers.add(id, acquisition);
        }
      }
    }
    return takers;
  }

  private void add(LockId id, Acquisition acquisition) {
    byFamily.merge(id, acquisition, HeldUpTakers::first);
    ClassSymbol cls = monitorClass(id);
    if (cls != null) {
      for (ClassSymbol supertype : supertypes(cls)) {
        byClassOrSubtype.merge(supertype, acquisition, HeldUpTakers::first);
      }
    }
  }

  /**
   * The first quick taker of {@code held} in source order; null when every taker blocks. A lock
   * chosen by {@code cond ? a : b} may be either.
   */
  @Nullable Acquisition of(HeldLock held) {
    LockId id = held.id();
    if (id != null) {
      return of(id);
    }
    Acquisition found = null;
    for (LockId alternative : held.name().alternatives()) {
      found = first(found, of(alternative));
    }
    return found;
  }

  private @Nullable Acquisition of(LockId id) {
    Acquisition found = byFamily.get(id);
    ClassSymbol cls = monitorClass(id);
    if (cls != null) {
      // An object of class C may be locked as the C it is, as one of C's subtypes or supertypes.
      found = first(found, byClassOrSubtype.get(cls));
      for (ClassSymbol supertype : supertypes(cls)) {
        found = first(found, byFamily.get(LockId.object(supertype)));
      }
    }
    return found;
  }

  /** The family "an object of class C" of the monitor of {@code this} and of parameters. */
  private static @Nullable ClassSymbol monitorClass(@Nullable LockId id) {
    return id != null && id.kind() == LockId.Kind.OBJECT ? id.objectClass() : null;
  }

  /** The class and its superclasses and interfaces, {@code Object} aside. */
  private List<ClassSymbol> supertypes(ClassSymbol cls) {
    List<ClassSymbol> supertypes = new ArrayList<>();
    for (Type type : types.closure(cls.type)) {
      if (type.tsym instanceof ClassSymbol supertype
          && !supertype.getQualifiedName().contentEquals("java.lang.Object")) {
        supertypes.add(supertype);
      }
    }
    return supertypes;
  }

  /**
   * Of two takers, the one to name: code other threads call directly (a non-private method, a
   * lambda handed elsewhere) before a private helper, which its callers may call only with the
   * lock held; then the first in source order.
   */
  private static @Nullable Acquisition first(@Nullable Acquisition a, @Nullable Acquisition b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    int byWork = Boolean.compare(isLifecycle(a.site().body()), isLifecycle(b.site().body()));
    if (byWork != 0) {
      return byWork < 0 ? a : b; // a taker doing the component's work, if there is one
    }
    int byReach = Boolean.compare(isPrivateHelper(a), isPrivateHelper(b));
    if (byReach != 0) {
      return byReach < 0 ? a : b;
    }
    return b.site().compareTo(a.site()) < 0 ? b : a;
  }

  /**
   * Whether the body is a method that starts or stops its component or a part of it: named one of
   * {@link #LIFECYCLE_METHODS}, alone or followed by what it starts or stops ({@code
   * startService}, {@code stopWorker}, {@code closeSocket}).
   */
  static boolean isLifecycle(Body body) {
    if (body.symbol() == null || body.symbol().isConstructor()) {
      return false;
    }
    String name = body.symbol().getSimpleName().toString();
    if (LIFECYCLE_METHODS.contains(name)) {
      return true;
    }
    for (int i = 1; i < name.length(); i++) {
      if (Character.isUpperCase(name.charAt(i))) {
        return LIFECYCLE_METHODS.contains(name.substring(0, i));
      }
    }
    return false;
  }

  private static boolean isPrivateHelper(Acquisition acquisition) {
    Body body = acquisition.site().body();
    return body.symbol() != null && (body.symbol().flags() & Flags.PRIVATE) != 0;
  }
}
