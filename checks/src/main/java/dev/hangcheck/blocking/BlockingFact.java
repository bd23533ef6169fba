package dev.hangcheck.blocking;

import com.sun.source.tree.Tree;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import dev.hangcheck.catalog.BlockingCategory;
import dev.hangcheck.engine.BlockingCallSite;
import dev.hangcheck.engine.Body;
import dev.hangcheck.engine.CallSite;
import dev.hangcheck.engine.HeldLock;
import dev.hangcheck.engine.ParameterGuard;
import dev.hangcheck.engine.Site;
import dev.hangcheck.engine.SourceIndex;
import dev.hangcheck.engine.ThisClass;
import dev.hangcheck.locks.LockId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * "This method may block, for this reason": what flows from a blocking call up to its callers.
 *
 * <p>A wait ({@code lock.wait()}, {@code condition.await()}) releases the lock it waits on, which
 * its thread must hold. Who holds it decides whether a caller's locks stay held while it waits:
 *
 * @param category why it blocks
 * @param releasesNode the lock a wait releases, when it can be named
 * @param releasesCallerLock the wait happens with no lock held between the caller and it, so it
 *     releases one of the locks the caller holds (which one, {@code releasesNode} may tell)
 * @param guard what the method's parameters must be for the blocking call to run, if anything
 * @param thisClass the class the method's own object must be of for the path to run (it runs an
 *     override that only objects of that class have), or null
 */
public record BlockingFact(
    BlockingCategory category,
    @Nullable LockId releasesNode,
    boolean releasesCallerLock,
    @Nullable ParameterGuard guard,
    @Nullable ClassSymbol thisClass)
    implements Comparable<BlockingFact> {

  private static final Comparator<BlockingFact> ORDER =
      Comparator.comparing(BlockingFact::category)
          .thenComparing(
              BlockingFact::releasesNode, Comparator.nullsFirst(Comparator.naturalOrder()))
          .thenComparing(BlockingFact::releasesCallerLock)
          .thenComparing(BlockingFact::guard, Comparator.nullsFirst(Comparator.naturalOrder()))
          .thenComparing(
              fact -> fact.thisClass() == null ? "" : fact.thisClass().flatName().toString());

  @Override
  public int compareTo(BlockingFact other) {
    return ORDER.compare(this, other);
  }

  /** The blocking calls a body makes itself, first site per fact. */
  static SortedMap<BlockingFact, Site> direct(Body body) {
    SortedMap<BlockingFact, Site> facts = new TreeMap<>();
    for (BlockingCallSite call : body.blockingCalls()) {
      HeldLock released = call.releases();
      LockId releasedNode = released == null ? null : released.id();
      // The locks held there are the caller's when the method only holds what it is declared to
      // run under (@GuardedBy): a wait then releases one of them, the declared one if it is alone.
      List<HeldLock> own = ownLocks(body, call.held());
      if (released != null && releasedNode == null && own.isEmpty() && call.held().size() == 1) {
        releasedNode = call.held().get(0).id();
      }
      BlockingFact fact =
          new BlockingFact(
              call.method().category(),
              releasedNode,
              released != null && own.isEmpty(),
              call.guard(),
              null);
      facts.putIfAbsent(fact, call.site());
    }
    return facts;
  }

  /** The held locks the body took itself, not those it runs under by declaration. */
  private static List<HeldLock> ownLocks(Body body, List<HeldLock> held) {
    if (held.isEmpty() || body.kind() != Body.Kind.METHOD) {
      return held;
    }
    Tree method = body.path().getLeaf();
    List<HeldLock> own = new ArrayList<>(held.size());
    for (HeldLock lock : held) {
      boolean declared =
          lock.site().tree() == method
              && body.acquisitions().stream().noneMatch(taken -> taken.lock() == lock);
      if (!declared) {
        own.add(lock);
      }
    }
    return own;
  }

  /**
   * Seen from the caller of {@code call}: a lock held there is the one a wait releases, a guard on
   * the callee's parameter becomes one on the argument, and the class the callee's object must be
   * of, one the caller's object or the receiver must be able to be; null when the call rules the
   * blocking call out ({@code stop(false)}, or a receiver of another class).
   */
  static @Nullable BlockingFact throughCall(
      CallSite call, Body callee, BlockingFact fact, SourceIndex index) {
    BlockingFact seen = guardedThrough(call, callee, fact, index);
    if (seen == null) {
      return null;
    }
    return seen.releasesCallerLock && !call.held().isEmpty()
        ? new BlockingFact(seen.category, seen.releasesNode, false, seen.guard, seen.thisClass)
        : seen;
  }

  /**
   * The fact as the caller of {@code call} sees its guard and the class of its object, or null
   * when the call rules it out: the callee's guard on the argument, else the caller's own guard on
   * the call ({@code if (reuse) reuseCapacity(n);}).
   */
  static @Nullable BlockingFact guardedThrough(
      CallSite call, Body callee, BlockingFact fact, SourceIndex index) {
    ThisClass.Need need = ThisClass.through(call, callee, new ThisClass.Need(fact.thisClass), index);
    if (need == null) {
      return null;
    }
    ParameterGuard atCall = ParameterGuard.through(call, fact.guard);
    if (atCall == ParameterGuard.NEVER) {
      return null;
    }
    return Objects.equals(atCall, fact.guard) && need.cls() == fact.thisClass
        ? fact
        : new BlockingFact(
            fact.category, fact.releasesNode, fact.releasesCallerLock, atCall, need.cls());
  }

  /**
   * Whether the blocking call of {@code fact}, a fact of {@code target} of {@code call}, can run
   * through that call.
   */
  static boolean mayRunThrough(CallSite call, Body target, BlockingFact fact, SourceIndex index) {
    return guardedThrough(call, target, fact, index) != null;
  }

  /** The blocking call at a site that {@link #direct} recorded. */
  static BlockingCallSite callAt(Site site) {
    for (BlockingCallSite call : site.body().blockingCalls()) {
      if (call.site() == site) {
        return call;
      }
    }
    throw new IllegalStateException("no blocking call at " + site);
  }
}
