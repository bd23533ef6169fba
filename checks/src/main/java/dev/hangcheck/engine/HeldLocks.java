package dev.hangcheck.engine;

import com.google.common.collect.ImmutableList;
import dev.hangcheck.locks.LockName;
import java.util.ArrayList;
import java.util.List;

/** The held-lock list a scan carries: immutable, innermost last. */
final class HeldLocks {

  private HeldLocks() {}

  static ImmutableList<HeldLock> with(ImmutableList<HeldLock> held, HeldLock lock) {
    return ImmutableList.<HeldLock>builderWithExpectedSize(held.size() + 1)
        .addAll(held)
        .add(lock)
        .build();
  }

  /**
   * {@code held} without the innermost entry that is {@code released}: the same object, else the
   * same code ({@code locks.get(k)}), else (for a lock known by its family only) the same family.
   */
  static ImmutableList<HeldLock> without(ImmutableList<HeldLock> held, LockName released) {
    int match = -1;
    for (int i = held.size() - 1; i >= 0 && match < 0; i--) {
      if (held.get(i).name().sameObjectAs(released)) {
        match = i;
      }
    }
    for (int i = held.size() - 1; i >= 0 && match < 0; i--) {
      if (held.get(i).name().text().equals(released.text())) {
        match = i;
      }
    }
    for (int i = held.size() - 1; i >= 0 && match < 0; i--) {
      LockName candidate = held.get(i).name();
      if (released.root() == LockName.Root.UNKNOWN
          && released.family() != null
          && released.family().equals(candidate.family())) {
        match = i;
      }
    }
    if (match < 0) {
      return held;
    }
    List<HeldLock> rest = new ArrayList<>(held);
    rest.remove(match);
    return ImmutableList.copyOf(rest);
  }
}
