package dev.hangcheck.engine;

import dev.hangcheck.locks.LockId;
import dev.hangcheck.locks.LockName;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A lock as one method body holds it: its name relative to the body, and where it was taken.
 *
 * @param name which object, in the body's terms
 * @param site where it was acquired (for a lock the caller or an annotation says is held on
 *     entry, the method)
 */
public record HeldLock(LockName name, Site site) {

  /** The graph node, or null when the lock cannot be named even by its class. */
  public @Nullable LockId id() {
    return name.family();
  }

  /** Whether this lock, chosen by {@code cond ? a : b}, may be {@code node}. */
  public boolean mayBe(@Nullable LockId node) {
    return node != null && name.alternatives().contains(node);
  }

  /** Whether {@code other} is certainly this very lock taken again (reentrant). */
  public boolean sameObjectAs(HeldLock other) {
    return name.sameObjectAs(other.name);
  }

  /** Whether {@code lock} is certainly one of {@code held}: taking it there is reentrant. */
  public static boolean anySameObject(List<HeldLock> held, LockName lock) {
    for (HeldLock outer : held) {
      if (outer.name().sameObjectAs(lock)) {
        return true;
      }
    }
    return false;
  }

  /** Whether this is the monitor of the body's own object. */
  public boolean isThisMonitor() {
    return name.root() == LockName.Root.THIS && name.fields().isEmpty();
  }

  /** How messages name the lock: in the words of the code, and its family. */
  public String display() {
    return name.display();
  }
}
