package dev.hangcheck.blocking;

import com.google.common.collect.ImmutableSet;
import dev.hangcheck.catalog.BlockingCategory;
import dev.hangcheck.engine.BlockingCallSite;
import dev.hangcheck.engine.Body;
import dev.hangcheck.engine.CallSite;
import dev.hangcheck.engine.Finding;
import dev.hangcheck.engine.Findings;
import dev.hangcheck.engine.HeldLock;
import dev.hangcheck.engine.Site;
import dev.hangcheck.engine.SourceIndex;
import dev.hangcheck.engine.TransitiveFacts;
import dev.hangcheck.locks.LockId;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Finds blocking calls made while a lock is held, directly or through calls, and reports each at
 * the call site inside the locked region. A wait that releases the very lock held ({@code
 * lock.wait()}, {@code condition.await()}) is the correct pattern and is not reported, unless
 * another lock is held as well.
 */
public final class UnderLockAnalysis {

  public static final String CHECK_NAME = "BlockingCallUnderLock";

  private final SourceIndex index;
  private final ImmutableSet<BlockingCategory> categories;
  private final TransitiveFacts<BlockingFact> blocks;
  private final Findings findings = new Findings();

  private UnderLockAnalysis(SourceIndex index, ImmutableSet<BlockingCategory> categories) {
    this.index = index;
    this.categories = categories;
    this.blocks =
        new TransitiveFacts<>(
            index,
            BlockingFact::direct,
            body -> !body.isSuppressed(CHECK_NAME),
            (call, callee, fact) -> BlockingFact.throughCall(call, fact));
  }

  public static Findings analyze(SourceIndex index, ImmutableSet<BlockingCategory> categories) {
    UnderLockAnalysis analysis = new UnderLockAnalysis(index, categories);
    for (Body body : index.bodies()) {
      if (blocksOrCallsUnderLock(body) && !body.isSuppressed(CHECK_NAME)) {
        analysis.check(body);
      }
    }
    return analysis.findings;
  }

  private static boolean blocksOrCallsUnderLock(Body body) {
    for (BlockingCallSite call : body.blockingCalls()) {
      if (!call.held().isEmpty()) {
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

  private void check(Body body) {
    for (BlockingCallSite call : body.blockingCalls()) {
      if (call.held().isEmpty() || !categories.contains(call.method().category())) {
        continue;
      }
      List<HeldLock> stillHeld = stillHeld(call.held(), call.releases());
      if (!stillHeld.isEmpty()) {
        findings.add(
            new Finding(
                call.site(),
                message(body, stillHeld, call.callDisplay(), call, call.site(), "")));
      }
    }
    for (CallSite call : body.calls()) {
      if (call.held().isEmpty()) {
        continue;
      }
      Set<BlockingCategory> reported = new HashSet<>();
      for (Body target : index.targets(call, b -> !b.isSuppressed(CHECK_NAME))) {
        for (Map.Entry<BlockingFact, TransitiveFacts.Witness> fact : blocks.of(target).entrySet()) {
          BlockingFact blocking = fact.getKey();
          if (!categories.contains(blocking.category())
              || reported.contains(blocking.category())
              || !BlockingFact.mayRunThrough(call, blocking)) {
            continue;
          }
          List<HeldLock> stillHeld = stillHeldThroughCall(call, blocking);
          if (stillHeld.isEmpty()) {
            continue;
          }
          reported.add(blocking.category());
          TransitiveFacts.Chain chain = blocks.chain(target, blocking);
          BlockingCallSite origin = BlockingFact.callAt(chain.origin());
          String path = chain.calleesTextAfter(target);
          findings.add(
              new Finding(
                  call.site(),
                  message(body, stillHeld, origin.callDisplay(), origin, chain.origin(), path)));
        }
      }
    }
  }

  /**
   * The held locks that stay held while the call blocks. A wait releases the lock it waits on,
   * which its thread must hold: the one matching {@code released} when that can be told, else
   * one of them (so some other lock stays held only if there are two).
   */
  private static List<HeldLock> stillHeld(List<HeldLock> held, @Nullable HeldLock released) {
    if (released == null) {
      return held;
    }
    List<HeldLock> others = held.stream().filter(lock -> !isSameLock(lock, released)).toList();
    if (others.size() < held.size()) {
      return others;
    }
    return distinctLocks(held) >= 2 ? held : List.of();
  }

  private static boolean isSameLock(HeldLock lock, HeldLock released) {
    if (lock.sameObjectAs(released)) {
      return true;
    }
    // Two locks known by family only: the wait's lock is the held one of that family.
    return !lock.name().isRelative()
        && !released.name().isRelative()
        && lock.id() != null
        && lock.id().equals(released.id());
  }

  /**
   * Through calls, locks are known by node only: a wait on that node releases it, and so does a
   * wait on the monitor of this object that the callee, called on this object, takes again.
   */
  private List<HeldLock> stillHeldThroughCall(CallSite call, BlockingFact fact) {
    List<HeldLock> held = call.held();
    LockId released = fact.releasesNode();
    List<HeldLock> others =
        released == null
            ? held
            : held.stream().filter(lock -> !isReleasedThroughCall(call, lock, released)).toList();
    if (fact.releasesCallerLock() && others.size() == held.size()) {
      return distinctLocks(held) >= 2 ? held : List.of();
    }
    return others;
  }

  private boolean isReleasedThroughCall(CallSite call, HeldLock lock, LockId released) {
    if (released.equals(lock.id())) {
      return true;
    }
    return call.onThis()
        && lock.isThisMonitor()
        && lock.id() != null
        && index.mayBeSameObject(lock.id(), released);
  }

  /** How many different locks {@code held} holds: a lock taken again counts once. */
  private static int distinctLocks(List<HeldLock> held) {
    int distinct = 0;
    for (int i = 0; i < held.size(); i++) {
      boolean seenBefore = false;
      for (int j = 0; j < i && !seenBefore; j++) {
        seenBefore = held.get(j).sameObjectAs(held.get(i));
      }
      if (!seenBefore) {
        distinct++;
      }
    }
    return distinct;
  }

  private static String message(
      Body body,
      List<HeldLock> held,
      String blockingCall,
      BlockingCallSite blocking,
      Site origin,
      String path) {
    String locks =
        held.stream()
            .map(lock -> lock.display() + " (taken at " + lock.site().fileAndLine() + ")")
            .collect(Collectors.joining(" and "));
    String how =
        path.isEmpty()
            ? "calls " + blockingCall
            : "calls "
                + path
                + " -> "
                + blockingCall
                + " ("
                + origin.fileAndLine()
                + ")";
    return "Blocking call under lock: "
        + body.display()
        + " holds "
        + locks
        + " and "
        + how
        + ", which "
        + blocking.describe(!path.isEmpty())
        + ". Every thread that needs the lock waits as long; if what it waits for needs the lock,"
        + " it never returns. Fix: move the call out of the locked region (copy what it needs"
        + " under the lock, call after unlocking)"
        + (blocking.method().category() == BlockingCategory.WAIT
            ? ", or wait on a condition of the lock itself, which releases it."
            : ".");
  }
}
