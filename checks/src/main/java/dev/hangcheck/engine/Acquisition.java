package dev.hangcheck.engine;

import com.google.common.collect.ImmutableList;
import dev.hangcheck.engine.Site;

/**
 * One place where a body waits for a lock: a {@code synchronized} block or method, or {@code
 * lock()}/{@code lockInterruptibly()}.
 *
 * @param lock the lock acquired
 * @param held the locks already held there, outermost first
 */
public record Acquisition(HeldLock lock, ImmutableList<HeldLock> held) {
  public Site site() {
    return lock.site();
  }
}
