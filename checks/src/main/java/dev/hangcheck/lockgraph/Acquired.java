package dev.hangcheck.lockgraph;

import com.google.common.collect.ImmutableSortedSet;
import dev.hangcheck.engine.ParameterGuard;
import dev.hangcheck.engine.ThisClass;
import dev.hangcheck.lockgraph.RelativeLocks.Relative;
import dev.hangcheck.locks.LockId;
import java.util.Comparator;
import org.jspecify.annotations.Nullable;

/**
 * "Takes {@code lock}", on paths that run only if the object is of class {@code thisClass}
 * (null: any), for the calls on {@code this} along the way ({@link ThisClass}).
 *
 * @param name the lock relative to the method's entry ({@code this.current.statement}), while
 *     it can be so named: a caller that holds that very object takes it reentrantly; null once
 *     the lock is known by its family only
 * @param released the families of the locks released on the way by the methods of the chain,
 *     which the caller no longer holds when the lock is taken
 * @param guard what the method's parameters must be for the lock to be taken, if anything: a
 *     caller whose constant argument fails it does not take the lock through that call
 */
record Acquired(
    LockId lock,
    ThisClass.Need thisClass,
    @Nullable Relative name,
    ImmutableSortedSet<LockId> released,
    @Nullable ParameterGuard guard)
    implements Comparable<Acquired> {
  private static final Comparator<@Nullable ParameterGuard> GUARD_ORDER =
      Comparator.nullsFirst(Comparator.naturalOrder());

  Acquired(LockId lock, ThisClass.Need thisClass, @Nullable Relative name) {
    this(lock, thisClass, name, ImmutableSortedSet.of(), null);
  }

  /** The same acquisition, also after {@code more} were released on the way. */
  Acquired releasing(ImmutableSortedSet<LockId> more) {
    if (more.isEmpty() || released.containsAll(more)) {
      return this;
    }
    return new Acquired(
        lock,
        thisClass,
        name,
        ImmutableSortedSet.<LockId>naturalOrder().addAll(released).addAll(more).build(),
        guard);
  }

  @Override
  public int compareTo(Acquired other) {
    int byLock = lock.compareTo(other.lock);
    if (byLock != 0) {
      return byLock;
    }
    int byReleased = compareReleased(released, other.released);
    if (byReleased != 0) {
      return byReleased;
    }
    if (thisClass.cls() != other.thisClass.cls()) {
      String mine = thisClass.cls() == null ? "" : thisClass.cls().flatName().toString();
      String theirs =
          other.thisClass.cls() == null ? "" : other.thisClass.cls().flatName().toString();
      int byClass = mine.compareTo(theirs);
      if (byClass != 0) {
        return byClass;
      }
    }
    int byGuard = GUARD_ORDER.compare(guard, other.guard);
    if (byGuard != 0) {
      return byGuard;
    }
    if (name == null || other.name == null) {
      return name == other.name ? 0 : name == null ? -1 : 1;
    }
    return name.compareTo(other.name);
  }

  private static int compareReleased(
      ImmutableSortedSet<LockId> mine, ImmutableSortedSet<LockId> theirs) {
    int bySize = Integer.compare(mine.size(), theirs.size());
    if (bySize != 0 || mine.isEmpty()) {
      return bySize;
    }
    java.util.Iterator<LockId> other = theirs.iterator();
    for (LockId lock : mine) {
      int byLock = lock.compareTo(other.next());
      if (byLock != 0) {
        return byLock;
      }
    }
    return 0;
  }
}
