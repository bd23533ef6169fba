package dev.hangcheck.lockgraph;

import com.sun.tools.javac.code.Symbol.ClassSymbol;
import dev.hangcheck.engine.Body;
import dev.hangcheck.engine.CallSite;
import dev.hangcheck.engine.ParameterGuard;
import dev.hangcheck.engine.Reentry;
import dev.hangcheck.engine.Site;
import dev.hangcheck.engine.SourceIndex;
import dev.hangcheck.engine.ThisClass;
import dev.hangcheck.engine.TransitiveFacts;
import dev.hangcheck.engine.WorkBudget;
import dev.hangcheck.locks.LockId;
import dev.hangcheck.locks.LockName;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The locks a method takes, directly or through calls, named relative to its entry: {@code this},
 * its parameters, paths from them. Each call rewrites the callee's names into the caller's; a name
 * that leaves the caller's terms (a field of a local, a path too long) is no longer relative, and
 * its family is all the caller knows of it. Paths are at most {@link LockName#MAX_FIELDS} long, so
 * a summary stays small however deep the calls go.
 */
final class RelativeLocks {

  /**
   * A relative lock name as a fact: ordered and compared by root, path and family, not text.
   * Compared part by part: facts are made at every call, and a key string each time would cost.
   *
   * @param need what the path to the lock needs of the class of the method's {@code this} (a
   *     chain through {@code ClientSession.signalSessionEvent()} never runs on a server session)
   * @param guard what the method's parameters must be for the path to run, if anything
   */
  record Relative(LockName name, ThisClass.Need need, @Nullable ParameterGuard guard)
      implements Comparable<Relative> {
    static Relative of(LockName name) {
      return new Relative(name, ThisClass.Need.NOTHING, null);
    }

    private static final Comparator<Relative> ORDER =
        Comparator.<Relative, LockName.Root>comparing(r -> r.name.root())
            .thenComparingInt(r -> r.name.parameter())
            .thenComparing(r -> r.name.fields(), Relative::comparePaths)
            .thenComparing(r -> r.name.family() == null ? "" : r.name.family().key())
            .thenComparing(r -> r.need.cls() == null ? "" : r.need.cls().flatName().toString())
            .thenComparing(Relative::guard, Comparator.nullsFirst(Comparator.naturalOrder()));

    private static int comparePaths(List<String> a, List<String> b) {
      for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
        int byField = a.get(i).compareTo(b.get(i));
        if (byField != 0) {
          return byField;
        }
      }
      return Integer.compare(a.size(), b.size());
    }

    @Override
    public int compareTo(Relative other) {
      return ORDER.compare(this, other);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Relative other && compareTo(other) == 0;
    }

    @Override
    public int hashCode() {
      LockId family = name.family();
      return Objects.hash(
          name.root(),
          name.parameter(),
          name.fields(),
          family == null ? null : family.key(),
          need,
          guard);
    }
  }

  /**
   * A callee's relative lock as the caller of one call sees it, on paths that need the caller's
   * {@code this} to be {@code need}, and its parameters to meet {@code guard}.
   */
  record AtCall(
      Body callee,
      Relative calleeLock,
      LockName inCaller,
      ThisClass.Need need,
      @Nullable ParameterGuard guard) {
    /**
     * The family of the lock in the caller's terms when it says more than the callee's (a
     * parameter typed {@code Object} locked by the callee is the caller's {@code this.ids}); else
     * null.
     */
    @Nullable LockId refinedFamily() {
      LockId family = inCaller.family();
      return family != null && !family.equals(calleeLock.name().family()) ? family : null;
    }
  }

  private final SourceIndex index;
  private final TransitiveFacts<Relative> facts;
  private final Map<CallSite, List<AtCall>> atCalls = new IdentityHashMap<>();

  /** @param maxDepth how many calls deep a callee may take the lock of its argument */
  RelativeLocks(SourceIndex index, int maxDepth) {
    this.index = index;
    this.facts =
        new TransitiveFacts<Relative>(
                index, this::direct, body -> true, this::throughCall)
            .withMaxDepth(maxDepth);
  }

  private SortedMap<Relative, Site> direct(Body body) {
    SortedMap<Relative, Site> own = new TreeMap<>();
    for (var acquisition : body.acquisitions()) {
      LockName name = acquisition.lock().name();
      if (name.isRelative() && !body.isUncontended(name)) {
        own.putIfAbsent(
            new Relative(name, ThisClass.Need.NOTHING, acquisition.guard()), acquisition.site());
      }
    }
    return own;
  }

  /**
   * Whether the object a callee names {@code calleeLock} (its {@code this} or a parameter, as a
   * whole) can be what the caller passes at {@code call}. Not when the caller's object is of a
   * class that no object of the lock's class can be ({@code setClobParameter(i, reader)} with a
   * {@code Reader}, where the callee locks the parameter only as a {@code JDBCClobClient}), nor
   * when the receiver is only ever of classes that are not its class (a result set closing "its
   * statement", which is this prepared statement, never locks a callable statement).
   */
  static boolean receiverCanBe(CallSite call, LockName calleeLock, SourceIndex index) {
    LockId family = calleeLock.family();
    LockName passed = passedFor(call, calleeLock);
    if (calleeLock.root() == LockName.Root.PARAMETER
        && passed != null
        && passed.root() == LockName.Root.NULL) {
      return false; // setParameter(i, null) never locks the parameter, nor anything it holds
    }
    if (!calleeLock.isRelative()
        || !calleeLock.fields().isEmpty()
        || family == null
        || family.kind() != LockId.Kind.OBJECT
        || family.objectClass() == null) {
      return true;
    }
    ClassSymbol lockClass = family.objectClass();
    if (passed != null && !canBeOfClass(passed, lockClass, index)) {
      return false;
    }
    return calleeLock.root() != LockName.Root.THIS || index.receiverMayBeA(call, lockClass);
  }

  /**
   * Whether the object the caller passes can be a {@code lockClass}: by its class, or for {@code
   * cond ? a : b} by the class of either.
   */
  private static boolean canBeOfClass(LockName passed, ClassSymbol lockClass, SourceIndex index) {
    List<LockId> classes =
        passed.family() != null ? List.of(passed.family()) : List.copyOf(passed.alternatives());
    if (classes.isEmpty()) {
      return true;
    }
    for (LockId passedFamily : classes) {
      if (passedFamily.objectClass() == null
          || index.types().isCastable(
              index.types().erasure(passedFamily.objectClass().type),
              index.types().erasure(lockClass.type))) {
        return true;
      }
    }
    return false;
  }

  private static @Nullable LockName passedFor(CallSite call, LockName calleeLock) {
    if (calleeLock.root() == LockName.Root.THIS) {
      return call.receiverName();
    }
    List<LockName> arguments = call.argumentNames();
    return calleeLock.parameter() < arguments.size() ? arguments.get(calleeLock.parameter()) : null;
  }

  /**
   * What the caller's {@code this} must be for a callee's lock to reach it through {@code call},
   * or null when it cannot: the object passed cannot be the lock's, or no object takes the path.
   */
  private ThisClass.@Nullable Need needThrough(CallSite call, Body callee, Relative calleeLock) {
    return receiverCanBe(call, calleeLock.name(), index)
        ? ThisClass.through(call, callee, calleeLock.need(), index)
        : null;
  }

  private @Nullable Relative throughCall(CallSite call, Body callee, Relative calleeLock) {
    ThisClass.Need need = needThrough(call, callee, calleeLock);
    if (need == null) {
      return null;
    }
    ParameterGuard guard = ParameterGuard.through(call, calleeLock.guard());
    if (guard == ParameterGuard.NEVER) {
      return null;
    }
    LockName inCaller = inCallersTerms(call, calleeLock.name());
    return inCaller.isRelative() && !call.site().body().isUncontended(inCaller)
        ? new Relative(inCaller, need, guard)
        : null;
  }

  LockName inCallersTerms(CallSite call, LockName calleeLock) {
    return call.inCallersTerms(calleeLock, index.types(), index.fieldAliases());
  }

  /**
   * Every relative lock of every target of {@code call}, rewritten into the caller's terms;
   * computed once per call, for the several stages that ask.
   */
  List<AtCall> atCall(CallSite call) {
    List<AtCall> known = atCalls.get(call);
    if (known == null) {
      known = computeAtCall(call);
      atCalls.put(call, known);
    }
    return known;
  }

  /**
   * The same, not kept: for the first pass over every call of the compilation, which keeping
   * would make the largest structure of the run; later stages ask again only of calls that can lie
   * on a cycle.
   */
  List<AtCall> atCallNotKept(CallSite call) {
    List<AtCall> known = atCalls.get(call);
    return known != null ? known : computeAtCall(call);
  }

  private List<AtCall> computeAtCall(CallSite call) {
    List<AtCall> out = new ArrayList<>(0);
    for (Body target : index.targets(call, b -> true)) {
      for (Relative lock : facts.of(target).keySet()) {
        ThisClass.Need need = needThrough(call, target, lock);
        if (need == null) {
          continue;
        }
        ParameterGuard guard = ParameterGuard.through(call, lock.guard());
        if (guard == ParameterGuard.NEVER) {
          continue;
        }
        LockName inCaller = inCallersTerms(call, lock.name());
        if (!call.site().body().isUncontended(inCaller)) {
          out.add(new AtCall(target, lock, inCaller, need, guard));
        }
      }
    }
    return out;
  }

  /** Whether {@code body} takes {@code lock} only by running {@code through} on the way. */
  boolean onlyThrough(Body body, Relative lock, Body through, WorkBudget work) {
    return Reentry.onlyByReentering(facts, body, lock, through, work);
  }

  TransitiveFacts.Chain chain(Body body, Relative lock) {
    return facts.chain(body, lock);
  }
}
