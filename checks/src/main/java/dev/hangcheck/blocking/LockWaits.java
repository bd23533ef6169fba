package dev.hangcheck.blocking;

import com.sun.tools.javac.code.Symbol.ClassSymbol;
import dev.hangcheck.blocking.UnderLockAnalysis.BlockingUnderLock;
import dev.hangcheck.engine.Acquisition;
import dev.hangcheck.engine.Body;
import dev.hangcheck.engine.CallSite;
import dev.hangcheck.engine.Finding;
import dev.hangcheck.engine.Findings;
import dev.hangcheck.engine.HeldLock;
import dev.hangcheck.engine.Site;
import dev.hangcheck.engine.SourceIndex;
import dev.hangcheck.engine.ThisClass;
import dev.hangcheck.engine.TransitiveFacts;
import dev.hangcheck.locks.LockId;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Non-blocking code that waits for a lock which other code holds while it blocks: the event loop or
 * UI thread then waits as long as that file read or network call. Reported at the acquisition, or
 * at the call that leads to it, in the non-blocking code; a lock is the same when both name the
 * same lock (the same field, the monitor of the same class's objects), not merely one that may be.
 */
final class LockWaits {

  /** A blocking call at the same site is the stronger finding, reported instead. */
  private static final int RANK = 1;

  private final SourceIndex index;
  private final Predicate<Body> descendInto;
  private final TransitiveFacts<Taken> acquires;
  private @Nullable Map<LockId, BlockingUnderLock> holders;

  /** @param descendInto whether a callee's acquisitions count for its non-blocking callers */
  LockWaits(SourceIndex index, Predicate<Body> descendInto) {
    this.index = index;
    this.descendInto = descendInto;
    this.acquires =
        new TransitiveFacts<>(
            index,
            LockWaits::acquisitions,
            descendInto,
            (call, callee, taken) -> {
              ThisClass.Need need =
                  ThisClass.through(call, callee, new ThisClass.Need(taken.thisClass()), index);
              return need == null ? null : new Taken(taken.lock(), need.cls());
            });
  }

  /**
   * A lock a body takes, and the class its own object must be of for the path to run (an override
   * only objects of that class have), or null.
   */
  private record Taken(LockId lock, @Nullable ClassSymbol thisClass) implements Comparable<Taken> {
    @Override
    public int compareTo(Taken other) {
      int byLock = lock.compareTo(other.lock);
      return byLock != 0 ? byLock : className(thisClass).compareTo(className(other.thisClass));
    }

    private static String className(@Nullable ClassSymbol cls) {
      return cls == null ? "" : cls.flatName().toString();
    }
  }

  /** The locks a body takes itself, first site of each. */
  private static SortedMap<Taken, Site> acquisitions(Body body) {
    SortedMap<Taken, Site> taken = new TreeMap<>();
    for (Acquisition acquisition : body.acquisitions()) {
      LockId id = acquisition.lock().id();
      if (id != null && id.isGraphNode() && !isHeld(acquisition.held(), id)) {
        taken.putIfAbsent(new Taken(id, null), acquisition.site());
      }
    }
    return taken;
  }

  void check(Body body, String context, Findings findings) {
    for (Acquisition acquisition : body.acquisitions()) {
      LockId id = acquisition.lock().id();
      BlockingUnderLock holder = holderOf(id, body);
      if (holder != null && !isHeld(acquisition.held(), id)) {
        findings.add(
            new Finding(
                acquisition.site(),
                message(context, "takes " + acquisition.lock().display(), holder, id)),
            RANK);
      }
    }
    for (CallSite call : body.calls()) {
      Set<LockId> reported = new HashSet<>();
      for (Body target : index.targets(call, descendInto)) {
        for (Taken taken : acquires.of(target).keySet()) {
          LockId id = taken.lock();
          BlockingUnderLock holder = holderOf(id, body);
          if (holder == null
              || isHeld(call.held(), id)
              || reported.contains(id)
              || ThisClass.through(call, target, new ThisClass.Need(taken.thisClass()), index)
                  == null) {
            continue;
          }
          reported.add(id);
          TransitiveFacts.Chain chain = acquires.chain(target, taken);
          String path =
              "calls "
                  + chain.calleesTextAfter(target)
                  + ", which takes "
                  + id.display()
                  + " ("
                  + chain.origin().fileAndLine()
                  + ")";
          findings.add(new Finding(call.site(), message(context, path, holder, id)), RANK);
        }
      }
    }
  }

  /**
   * How many calls below its locked region a holder's blocking call may be (0: in the region). The holder's chain is
   * a BlockingCallUnderLock finding of its own, and the wait adds a second chain to it: each call
   * followed is one more chance of a path no execution takes, so the holder must block where it
   * can be seen.
   */
  static final int MAX_HOLDER_DEPTH = 3;

  /** Who holds {@code id} while blocking, if it is code other than {@code waiter}. */
  private @Nullable BlockingUnderLock holderOf(@Nullable LockId id, Body waiter) {
    if (id == null || !id.isGraphNode()) {
      return null;
    }
    if (holders == null) {
      holders = UnderLockAnalysis.holdersOfLocks(index, MAX_HOLDER_DEPTH);
    }
    BlockingUnderLock holder = holders.get(id);
    return holder == null || holder.body() == waiter || holder.depth() > MAX_HOLDER_DEPTH
        ? null
        : holder;
  }

  private static boolean isHeld(List<HeldLock> held, @Nullable LockId id) {
    for (HeldLock lock : held) {
      if (id != null && id.equals(lock.id())) {
        return true;
      }
    }
    return false;
  }

  private static String message(
      String context, String waits, BlockingUnderLock holder, LockId id) {
    HeldLock held =
        holder.stillHeld().stream()
            .filter(lock -> id.equals(lock.id()))
            .findFirst()
            .orElse(holder.stillHeld().get(0));
    String blocking =
        (holder.path().isEmpty() ? "" : holder.path() + " -> ")
            + holder.call().callDisplay()
            + " ("
            + holder.origin().fileAndLine()
            + ")";
    return "Blocking call in non-blocking code: "
        + context
        + " "
        + waits
        + ", which "
        + holder.body().display()
        + " holds while it calls "
        + blocking
        + ", which "
        + holder.call().describe(!holder.path().isEmpty())
        + " (holding "
        + held.display()
        + " taken at "
        + held.site().fileAndLine()
        + "): this thread waits as long. Fix: do not block while holding "
        + held.display()
        + " (copy what is needed under the lock, block after unlocking), or take the lock off"
        + " this thread.";
  }
}
