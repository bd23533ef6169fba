package dev.hangcheck.lockgraph;

import dev.hangcheck.locks.FieldAliases;
import dev.hangcheck.locks.LockId;
import dev.hangcheck.locks.LockName;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Edges that take the lock of an object older than the one whose lock is held: a wrapper that
 * holds its own lock and locks the object its constructor was given ({@code
 * SynchronizedPool(pool)}, a decorator chain). The wrapped object existed before the wrapper, so
 * it cannot be, through fields of that kind, the wrapper itself or a wrapper of it. A cycle whose
 * edges all go to an older object or stay on one (its monitor, then its own lock), at least one
 * going to an older one, would need an object made before itself: it cannot exist, however the
 * classes repeat.
 */
final class ConstructionOrder {

  private ConstructionOrder() {}

  /** How the object whose lock an edge takes was made, next to the one whose lock is held. */
  enum Age {
    /** Unknown, or later. */
    ANY,
    /** The same object: its own lock while its monitor is held. */
    SAME,
    /** Made before it, and given to its constructor, or to one of those's, and so on. */
    OLDER
  }

  /**
   * Whether {@code acquired} is the object whose lock {@code held} is, or is reached from it
   * through fields that hold only constructor arguments: {@code this} or its own lock field held,
   * {@code this.pool} or {@code this.pool.lock} taken.
   */
  static Age of(
      LockName held,
      @Nullable LockId heldFamily,
      @Nullable LockName acquired,
      @Nullable LockId acquiredFamily,
      FieldAliases aliases) {
    if (acquired == null
        || !held.isRelative()
        || held.root() != acquired.root()
        || held.parameter() != acquired.parameter()) {
      return Age.ANY;
    }
    List<String> holder = objectPath(held, heldFamily);
    List<String> taken = objectPath(acquired, acquiredFamily);
    if (holder == null
        || taken == null
        || taken.size() < holder.size()
        || !taken.subList(0, holder.size()).equals(holder)) {
      return Age.ANY;
    }
    for (String field : taken.subList(holder.size(), taken.size())) {
      if (!aliases.isConstructorArgument(field)) {
        return Age.ANY;
      }
    }
    return taken.size() == holder.size() ? Age.SAME : Age.OLDER;
  }

  /**
   * The path to the object whose lock this is: the path itself for a monitor, without its last
   * field for a lock field its class allocates; null for a lock the object was given.
   */
  private static @Nullable List<String> objectPath(LockName name, @Nullable LockId family) {
    if (family == null) {
      return null;
    }
    return switch (family.kind()) {
      case OBJECT, ASSIGNED_FIELD -> name.fields();
      case FIELD -> name.fields().isEmpty() ? null : name.fields().subList(0, name.fields().size() - 1);
      default -> null;
    };
  }
}
