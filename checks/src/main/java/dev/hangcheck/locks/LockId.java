package dev.hangcheck.locks;

import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Types;
import org.jspecify.annotations.Nullable;

/**
 * A family of locks: one node of the lock-acquisition graph. Which object of the family a method
 * takes is its {@link LockName}; the family is what two methods' names have in common.
 *
 * <ul>
 *   <li>a static field is one lock, and so is a class literal;
 *   <li>an instance field {@code C.f} that {@code C} allocates itself ({@code = new Object()}) is
 *       the family of those objects, one per {@code C}, distinct from every other family;
 *   <li>any other object is "an object of class T" ({@link Kind#OBJECT}): the monitor of
 *       {@code this} in {@code C}, a parameter, a field assigned from elsewhere. Two such
 *       families may be the same object when their classes can be the same object's.
 * </ul>
 */
public final class LockId implements Comparable<LockId> {

  /** How the lock was named. */
  public enum Kind {
    STATIC_FIELD,
    /** A field its class allocates itself: one lock per instance of that class. */
    FIELD,
    /**
     * A field given its object from elsewhere (a constructor argument, a setter): the objects it
     * holds, which may be the objects other names hold too.
     */
    ASSIGNED_FIELD,
    /** An object known only by its class. */
    OBJECT,
    CLASS_MONITOR
  }

  /**
   * The one UI thread, as if it were a lock: code designated to run only there never runs at the
   * same time as other such code, so it keeps apart the lock orders taken there.
   */
  public static final LockId UI_THREAD =
      new LockId(Kind.CLASS_MONITOR, "<the UI thread>", "the UI thread", null, true);

  /**
   * Construction order, as if it were a lock held at every edge that takes the lock of the object
   * whose lock is held or of one made before it (one its constructor was given); {@link
   * #OLDER_OBJECT} also where it is certainly another, older one. A cycle of such edges with at
   * least one of the second kind would need an object made before itself.
   */
  public static final LockId NOT_YOUNGER_OBJECT =
      new LockId(Kind.CLASS_MONITOR, "<construction order>", "construction order", null, true);

  /** See {@link #NOT_YOUNGER_OBJECT}. */
  public static final LockId OLDER_OBJECT =
      new LockId(Kind.CLASS_MONITOR, "<older object>", "an older object", null, true);

  private final Kind kind;
  private final String key;
  private final String display;
  /**
   * The class of the object: allocated (for fields a class allocates) or declared. Not part of
   * the identity; the key is.
   */
  private final @Nullable ClassSymbol objectClass;
  /** Whether the object is of {@link #objectClass} exactly (it was allocated so). */
  private final boolean exactClass;
  /**
   * Asked for at every set and map of locks, so computed once; by the kind's ordinal, not its
   * identity hash, so that it is the same in every run.
   */
  private final int hash;

  private LockId(
      Kind kind, String key, String display, @Nullable ClassSymbol objectClass, boolean exactClass) {
    this.kind = kind;
    this.key = key;
    this.display = display;
    this.objectClass = objectClass;
    this.exactClass = exactClass;
    this.hash = 31 * kind.ordinal() + key.hashCode();
  }

  public static LockId staticField(
      String ownerQualifiedName,
      String ownerSimpleName,
      String field,
      @Nullable ClassSymbol objectClass,
      boolean allocatedByOwner) {
    return new LockId(
        Kind.STATIC_FIELD,
        ownerQualifiedName + "." + field,
        ownerSimpleName + "." + field,
        objectClass,
        allocatedByOwner);
  }

  /** The field {@code field} of every {@code owner}, which allocates an {@code objectClass}. */
  public static LockId ownField(
      String ownerQualifiedName,
      String ownerSimpleName,
      String field,
      @Nullable ClassSymbol objectClass) {
    return new LockId(
        Kind.FIELD,
        ownerQualifiedName + "#" + field,
        ownerSimpleName + "." + field,
        objectClass,
        objectClass != null);
  }

  /**
   * The field {@code field} of every {@code owner}, which is given objects of class {@code
   * declaredClass} from elsewhere. A node of its own, but possibly the same object as any lock of
   * a class it may hold.
   */
  public static LockId assignedField(
      String ownerQualifiedName,
      String ownerSimpleName,
      String field,
      @Nullable ClassSymbol declaredClass) {
    return new LockId(
        Kind.ASSIGNED_FIELD,
        ownerQualifiedName + "#" + field,
        ownerSimpleName + "." + field,
        declaredClass,
        false);
  }

  /**
   * An object of class {@code cls} (or a subclass), known by nothing else: its monitor, or the
   * lock it is. Null for {@code Object}, which could be any lock at all.
   */
  public static @Nullable LockId object(ClassSymbol cls) {
    if (cls.getQualifiedName().contentEquals("java.lang.Object")) {
      return null;
    }
    String name = Names.classDisplay(cls);
    String display = isLockClass(cls) ? "a " + name : "the monitor of a " + name;
    return new LockId(Kind.OBJECT, Names.classKey(cls) + "#this", display, cls, false);
  }

  /** A new object of class {@code cls} exactly, as {@code new} made it; null for Object. */
  public static @Nullable LockId allocated(ClassSymbol cls) {
    LockId object = object(cls);
    return object == null
        ? null
        : new LockId(Kind.OBJECT, object.key, object.display, cls, true);
  }

  /**
   * A family as a summary written by an earlier compilation names it: the same kind and key are
   * the same node as the family the code of this compilation names.
   */
  public static LockId restored(
      Kind kind, String key, String display, @Nullable ClassSymbol objectClass, boolean exactClass) {
    return new LockId(kind, key, display, objectClass, exactClass);
  }

  public static LockId classMonitor(String classQualifiedName, String classSimpleName) {
    return new LockId(
        Kind.CLASS_MONITOR, classQualifiedName + ".class", classSimpleName + ".class", null, true);
  }

  private static boolean isLockClass(ClassSymbol cls) {
    String name = cls.getQualifiedName().toString();
    return name.startsWith("java.util.concurrent.locks.");
  }

  public Kind kind() {
    return kind;
  }

  /** Whether the object is of {@link #objectClass} exactly: it was allocated as one. */
  public boolean isExactClass() {
    return exactClass && objectClass != null;
  }

  /** Whether which object this is, is known only by its class (it may be many others' too). */
  private boolean knownByClassOnly() {
    return kind == Kind.OBJECT || kind == Kind.ASSIGNED_FIELD;
  }

  /** For an object family, its class; for fields, the class of the object they hold, if known. */
  public @Nullable ClassSymbol objectClass() {
    return objectClass;
  }

  /**
   * Whether this name stands for one object in the whole program. Then re-acquiring it through any
   * expression is reentrant; otherwise two expressions may denote two different instances.
   */
  public boolean isSingleton() {
    return kind == Kind.STATIC_FIELD || kind == Kind.CLASS_MONITOR;
  }

  /**
   * Whether a lock of this family and one of {@code other} may be one object. Then taking one
   * while holding the other may be reentrant, and is no order between them. Different fields that
   * their classes allocate are different objects, and so are different singletons; an object
   * known by its class may be any of those whose class it could have.
   */
  public boolean mayBeSameObject(LockId other, Types types) {
    if (equals(other)) {
      return true;
    }
    if (!knownByClassOnly() && !other.knownByClassOnly()) {
      return false;
    }
    LockId object = knownByClassOnly() ? this : other;
    LockId rest = object == this ? other : this;
    if (rest.kind == Kind.CLASS_MONITOR) {
      return false;
    }
    ClassSymbol restClass = rest.objectClass;
    if (restClass == null) {
      return true; // a field of unknown class: it may hold anything
    }
    ClassSymbol objectClass = object.objectClass;
    if (objectClass == null) {
      return true;
    }
    if (rest.exactClass) {
      return restClass.isSubClass(objectClass, types); // allocated as that class
    }
    return types.isCastable(types.erasure(objectClass.type), types.erasure(restClass.type));
  }

  /**
   * Whether the family is specific enough to be a node of the lock graph. "Some object of a JDK
   * class" (a {@code ReentrantLock}, a {@code List}) is not: every such lock the analysis cannot
   * follow would be one node, and cycles through it mostly join objects that are never the same.
   */
  public boolean isGraphNode() {
    if (kind != Kind.OBJECT || objectClass == null) {
      return true;
    }
    // The key starts with the class's qualified name; no String made per question.
    return !(key.startsWith("java.") || key.startsWith("javax.") || key.startsWith("jdk."));
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
    return hash;
  }

  @Override
  public String toString() {
    return display;
  }
}
