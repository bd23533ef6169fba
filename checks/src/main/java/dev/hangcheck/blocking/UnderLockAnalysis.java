package dev.hangcheck.blocking;

import com.google.common.collect.ImmutableList;

import com.google.common.collect.ImmutableSet;
import dev.hangcheck.catalog.BlockingCategory;
import dev.hangcheck.engine.Acquisition;
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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
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
  private final TransitiveFacts<BlockingFact> blocks;
  private final Findings findings = new Findings();

  /** How many calls below a locked region blocking is looked for. */
  private final int maxDepth;

  private UnderLockAnalysis(SourceIndex index, int maxDepth) {
    this.index = index;
    this.maxDepth = maxDepth;
    this.blocks =
        new TransitiveFacts<>(
            index,
            BlockingFact::direct,
            body -> !body.isSuppressed(CHECK_NAME),
            (call, callee, fact) -> BlockingFact.throughCall(call, callee, fact, index));
  }

  /**
   * Reports each blocking call under a lock that some other code takes without blocking: that code
   * is held up. Where every taker of the lock blocks under it, the lock serialises that blocking
   * work by design, and nobody waits who would not have waited anyway.
   */
  public static Findings analyze(
      SourceIndex index, ImmutableSet<BlockingCategory> categories, int maxDepth) {
    UnderLockAnalysis analysis =
        new UnderLockAnalysis(index, Math.max(maxDepth, SERIALISED_WORK_DEPTH));
    List<BlockingUnderLock> found = new ArrayList<>();
    Set<HeldLock> blockingHolds = new HashSet<>();
    analysis.forEachBlockingUnderLock(
        blocking -> {
          found.add(blocking);
          if (blocking.depth() <= SERIALISED_WORK_DEPTH) {
            blockingHolds.addAll(blocking.stillHeld());
          }
        });
    HeldUpTakers takers = HeldUpTakers.in(index, blockingHolds);
    for (BlockingUnderLock blocking : found) {
      if (blocking.depth() > maxDepth
          || !categories.contains(blocking.call().method().category())) {
        continue;
      }
      HeldUp heldUp = heldUp(blocking.stillHeld(), takers);
      if (heldUp != null && !isLifecycleSerialisation(heldUp)) {
        analysis.findings.add(
            new Finding(
                blocking.site(),
                message(blocking, heldUp),
                ImmutableList.of(
                    new Finding.Place(
                        heldUp.taker().site(),
                        heldUp.taker().site().body().display()
                            + " takes "
                            + heldUp.lock().display()
                            + " without blocking")),
                flow(blocking, heldUp)));
      }
    }
    return analysis.findings;
  }

  /**
   * How many calls below a locked region its blocking may be (0: in the region itself) for the
   * region to count as blocking work that the lock serialises. Blocking deeper down is mostly reached through calls that do
   * not block on the paths that really run (a type cached, a branch not taken), so such a taker
   * counts as quick code that the lock makes wait.
   */
  static final int SERIALISED_WORK_DEPTH = 3;

  /** A lock held while blocking, and a place that takes it without blocking. */
  private record HeldUp(HeldLock lock, Acquisition taker) {}

  /**
   * A lock taken by a method that starts or stops its component, whose every quick taker does
   * too: {@code stop()} joining its worker under the lock that only {@code start()} and {@code
   * stop()} take holds up nobody but a second lifecycle call, which the lock is there to keep
   * out.
   */
  private static boolean isLifecycleSerialisation(HeldUp heldUp) {
    return HeldUpTakers.isLifecycle(heldUp.lock().site().body())
        && HeldUpTakers.isLifecycle(heldUp.taker().site().body());
  }

  /** Where the lock is taken, the call made under it, and the blocking call it leads to. */
  private static ImmutableList<Finding.Place> flow(BlockingUnderLock blocking, HeldUp heldUp) {
    ImmutableList.Builder<Finding.Place> flow = ImmutableList.builder();
    flow.add(new Finding.Place(heldUp.lock().site(), "takes " + heldUp.lock().display()));
    if (blocking.depth() > 0) {
      flow.add(new Finding.Place(blocking.site(), "calls, holding it, " + blocking.path()));
    }
    flow.add(
        new Finding.Place(
            blocking.origin(),
            blocking.call().callDisplay() + ", which " + blocking.call().method().category().verb()));
    return flow.build();
  }

  private static @Nullable HeldUp heldUp(List<HeldLock> stillHeld, HeldUpTakers takers) {
    for (HeldLock lock : stillHeld) {
      Acquisition taker = takers.of(lock);
      if (taker != null) {
        return new HeldUp(lock, taker);
      }
    }
    return null;
  }

  /** The holder with the shortest chain to its blocking call first, then by site. */
  private static final Comparator<BlockingUnderLock> MOST_DIRECT =
      Comparator.comparingInt(BlockingUnderLock::depth)
          .thenComparing(BlockingUnderLock::site);

  /**
   * Where each lock is held while its holder blocks (any category), the most direct place first: what a
   * thread that must not block waits for when it takes that lock. Code where BlockingCallUnderLock
   * is suppressed holds its locks so on purpose, and is left out.
   */
  static Map<LockId, BlockingUnderLock> holdersOfLocks(SourceIndex index, int maxDepth) {
    UnderLockAnalysis analysis = new UnderLockAnalysis(index, maxDepth);
    Map<LockId, BlockingUnderLock> holders = new TreeMap<>();
    analysis.forEachBlockingUnderLock(
        blocking -> {
          for (HeldLock lock : blocking.stillHeld()) {
            LockId id = lock.id();
            if (id != null) {
              holders.merge(id, blocking, (known, next) -> MOST_DIRECT.compare(next, known) < 0 ? next : known);
            }
          }
        });
    return holders;
  }

  /**
   * A blocking call made with locks held.
   *
   * @param body the code holding the locks
   * @param site where it blocks, or makes the call that leads to it
   * @param stillHeld the locks that stay held while it blocks
   * @param call the blocking call itself
   * @param origin where that call is
   * @param path the calls from {@code site} to it, empty when it is at {@code site}
   * @param depth how many calls lead from {@code site} to the blocking call: 0 when it is there
   */
  record BlockingUnderLock(
      Body body,
      Site site,
      List<HeldLock> stillHeld,
      BlockingCallSite call,
      Site origin,
      String path,
      int depth) {}

  private void forEachBlockingUnderLock(Consumer<BlockingUnderLock> sink) {
    for (Body body : index.bodies()) {
      if (blocksOrCallsUnderLock(body) && !body.isSuppressed(CHECK_NAME)) {
        forEachIn(body, sink);
      }
    }
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

  private void forEachIn(Body body, Consumer<BlockingUnderLock> sink) {
    for (BlockingCallSite call : body.blockingCalls()) {
      if (call.held().isEmpty()) {
        continue;
      }
      List<HeldLock> stillHeld = stillHeld(call.held(), call.releases());
      if (!stillHeld.isEmpty()) {
        sink.accept(new BlockingUnderLock(body, call.site(), stillHeld, call, call.site(), "", 0));
      }
    }
    for (CallSite call : body.calls()) {
      if (call.held().isEmpty()) {
        continue;
      }
      Map<BlockingCategory, Shallowest> shallowest = new EnumMap<>(BlockingCategory.class);
      for (Body target : index.targets(call, b -> !b.isSuppressed(CHECK_NAME))) {
        for (BlockingFact blocking : blocks.of(target).keySet()) {
          int depth = blocks.length(target, blocking) + 1;
          Shallowest known = shallowest.get(blocking.category());
          if (depth > maxDepth
              || (known != null && known.depth() <= depth)
              || !BlockingFact.mayRunThrough(call, target, blocking, index)) {
            continue;
          }
          List<HeldLock> stillHeld = stillHeldThroughCall(call, blocking);
          if (!stillHeld.isEmpty()) {
            shallowest.put(blocking.category(), new Shallowest(target, blocking, depth, stillHeld));
          }
        }
      }
      for (Shallowest found : shallowest.values()) {
        TransitiveFacts.Chain chain = blocks.chain(found.target(), found.fact());
        sink.accept(
            new BlockingUnderLock(
                body,
                call.site(),
                found.stillHeld(),
                BlockingFact.callAt(chain.origin()),
                chain.origin(),
                chain.calleesTextAfter(found.target()),
                found.depth()));
      }
    }
  }

  /** Of the blocking a call leads to in one category, the one fewest calls away. */
  private record Shallowest(Body target, BlockingFact fact, int depth, List<HeldLock> stillHeld) {}

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

  private static String message(BlockingUnderLock blocking, HeldUp heldUp) {
    String locks =
        blocking.stillHeld().stream()
            .map(lock -> lock.display() + " (taken at " + lock.site().fileAndLine() + ")")
            .collect(Collectors.joining(" and "));
    BlockingCallSite call = blocking.call();
    String how =
        blocking.path().isEmpty()
            ? "calls " + call.callDisplay()
            : "calls "
                + blocking.path()
                + " -> "
                + call.callDisplay()
                + " ("
                + blocking.origin().fileAndLine()
                + ")";
    Site taker = heldUp.taker().site();
    return "Blocking call under lock: "
        + blocking.body().display()
        + " holds "
        + locks
        + " and "
        + how
        + ", which "
        + call.describe(!blocking.path().isEmpty())
        + ". Every thread that needs "
        + heldUp.lock().display()
        + " waits as long, such as "
        + taker.body().display()
        + " ("
        + taker.fileAndLine()
        + "), which takes it without blocking; if what the call waits for needs the lock, it"
        + " never returns. Fix: move the call out of the locked region (copy what it needs"
        + " under the lock, call after unlocking)"
        + (call.method().category() == BlockingCategory.WAIT
            ? ", or wait on a condition of the lock itself, which releases it."
            : ".");
  }
}
