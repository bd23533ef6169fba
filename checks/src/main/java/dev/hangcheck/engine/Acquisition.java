package dev.hangcheck.engine;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedSet;
import dev.hangcheck.locks.LockId;
import org.jspecify.annotations.Nullable;

/**
 * One place where a body waits for a lock: a {@code synchronized} block or method, or {@code
 * lock()}/{@code lockInterruptibly()}.
 *
 * @param lock the lock acquired
 * @param held the locks already held there, outermost first
 * @param releasedBefore the families of the locks of its caller the body released before: the
 *     caller's hold of them is not held there
 * @param guard what the method's parameters must be for the acquisition to run, if anything
 */
public record Acquisition(
    HeldLock lock,
    ImmutableList<HeldLock> held,
    ImmutableSortedSet<LockId> releasedBefore,
    @Nullable ParameterGuard guard) {
  public Acquisition(HeldLock lock, ImmutableList<HeldLock> held) {
    this(lock, held, ImmutableSortedSet.of(), null);
  }

  public Site site() {
    return lock.site();
  }

  /** Whether the lock is held already where it is taken again: no wait, no order. */
  public boolean isReentrant() {
    return HeldLock.anySameObject(held, lock.name());
  }
}
