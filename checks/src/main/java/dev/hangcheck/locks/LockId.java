package dev.hangcheck.locks;

import com.sun.tools.javac.code.Symbol.ClassSymbol;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A lock as Hangcheck names it: one node of the lock-acquisition graph.
 *
 * <p>Identities are deliberately coarse but never guessed: a static field is one lock; an instance
 * field {@code C.f} stands for that field of every {@code C}; the monitor of {@code this} in class
 * {@code C} is "the monitor of a C"; {@code C.class} is its own lock.
 */
public final class LockId implements Comparable<LockId> {

  /** How the lock was named. */
  public enum Kind {
    STATIC_FIELD,
    INSTANCE_FIELD,
    INSTANCE_MONITOR,
    CLASS_MONITOR
  }

  private final Kind kind;
  private final String key;
  private final String display;
  private final @Nullable ClassSymbol monitorClass;

  private LockId(Kind kind, String key, String display) {
    this(kind, key, display, null);
  }

  private LockId(Kind kind, String key, String display, @Nullable ClassSymbol monitorClass) {
    this.kind = kind;
    this.key = key;
    this.display = display;
    this.monitorClass = monitorClass;
  }

  public static LockId staticField(String ownerQualifiedName, String ownerSimpleName, String field) {
    return new LockId(Kind.STATIC_FIELD, ownerQualifiedName + "." + field, ownerSimpleName + "." + field);
  }

  public static LockId instanceField(
      String ownerQualifiedName, String ownerSimpleName, String field) {
    return new LockId(
        Kind.INSTANCE_FIELD, ownerQualifiedName + "#" + field, ownerSimpleName + "." + field);
  }

  public static LockId instanceMonitor(ClassSymbol cls) {
    return new LockId(
        Kind.INSTANCE_MONITOR,
        Names.classKey(cls) + "#this",
        "the monitor of a " + Names.classDisplay(cls),
        cls);
  }

  /**
   * For the monitor of an instance of a class, that class; null for other locks. Not part of the
   * identity: the key is.
   */
  public @Nullable ClassSymbol monitorClass() {
    return monitorClass;
  }

  public static LockId classMonitor(String classQualifiedName, String classSimpleName) {
    return new LockId(Kind.CLASS_MONITOR, classQualifiedName + ".class", classSimpleName + ".class");
  }

  public Kind kind() {
    return kind;
  }

  /**
   * Whether this name stands for one object in the whole program. Then re-acquiring it through any
   * expression is reentrant; otherwise two expressions may denote two different instances.
   */
  public boolean isSingleton() {
    return kind == Kind.STATIC_FIELD || kind == Kind.CLASS_MONITOR;
  }

  /** How a message names the lock, e.g. {@code Inventory.lock} or {@code the monitor of a Cache}. */
  public String display() {
    return display;
  }

  /** A stable, fully qualified key: the order of nodes and of findings follows it. */
  public String key() {
    return key;
  }

  @Override
  public int compareTo(LockId other) {
    int byKey = key.compareTo(other.key);
    return byKey != 0 ? byKey : kind.compareTo(other.kind);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LockId && ((LockId) o).kind == kind && ((LockId) o).key.equals(key);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, key);
  }

  @Override
  public String toString() {
    return display;
  }
}
