package dev.hangcheck.engine;

import dev.hangcheck.locks.LockId;
import com.google.common.collect.ImmutableSet;
import com.sun.tools.javac.code.Type;
import dev.hangcheck.engine.Site;
import org.jspecify.annotations.Nullable;

/**
 * A lock as one method body holds it: the graph node it stands for (if it can be named), the
 * expression that took it, and where.
 *
 * @param id the graph node, or null when the lock cannot be named (a parameter, a local)
 * @param expressionKey the canonical text of the lock expression ({@code this.lock}, {@code from});
 *     two acquisitions through equal keys are the same object. Null when not even that is known.
 * @param type the static type of the lock expression, for the same-class rule
 * @param stable whether the expression denotes the same object everywhere in the body (this, a
 *     parameter, a field of either): only then may two different expressions of one class be
 *     called an inversion by themselves
 * @param site where it was acquired
 * @param text the source of the lock expression, to name a lock that has no node
 * @param alternatives for {@code cond ? a : b}, the nodes it may be: taking one of them again may
 *     be reentrant, so it is never called an inversion
 */
public record HeldLock(
    @Nullable LockId id,
    @Nullable String expressionKey,
    @Nullable Type type,
    boolean stable,
    Site site,
    @Nullable String text,
    ImmutableSet<LockId> alternatives) {

  /** Whether this lock, chosen by {@code cond ? a : b}, may be {@code node}. */
  public boolean mayBe(@Nullable LockId node) {
    return node != null && alternatives.contains(node);
  }

  /** Whether {@code other} is certainly this very lock taken again (reentrant). */
  public boolean sameObjectAs(HeldLock other) {
    if (expressionKey != null && expressionKey.equals(other.expressionKey)) {
      return true;
    }
    return id != null && id.isSingleton() && id.equals(other.id);
  }

  /** How messages name the lock: the graph node if there is one, else the expression. */
  public String display() {
    if (id != null) {
      return id.display();
    }
    if (expressionKey != null) {
      return expressionKey;
    }
    return text != null ? "the lock of `" + text + "`" : "a lock";
  }
}
