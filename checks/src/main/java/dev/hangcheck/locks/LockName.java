package dev.hangcheck.locks;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import com.sun.tools.javac.code.Types;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A lock as one method names it, relative to its entry: an access path from {@code this}, from a
 * parameter, or from a global (a static field, a class literal), through instance fields; or an
 * object the method made itself, or one it got from somewhere it cannot follow. At a call the
 * callee's names are rewritten into the caller's ({@link #substitute}), so the caller sees which
 * of its own objects the callee locks.
 *
 * <p>Two equal names with a root the method knows denote the same object. Names with different
 * roots may still be one object; the {@link LockId family} says whether they can be.
 *
 * @param root where the path starts
 * @param parameter for {@link Root#PARAMETER}, which one (0-based); else -1
 * @param fields the instance fields read from the root, outermost first, each as {@code
 *     pkg.Owner#name} (two classes' fields of one name are different paths)
 * @param family the graph node, or null when the lock cannot be named even by its class
 * @param alternatives for {@code cond ? a : b}, the families it may be
 * @param text the code that denotes it, for messages
 */
public record LockName(
    Root root,
    int parameter,
    ImmutableList<String> fields,
    @Nullable LockId family,
    ImmutableSet<LockId> alternatives,
    String text) {

  /** Paths longer than this are cut: the object is then known by its family only. */
  public static final int MAX_FIELDS = 3;

  /** Where a lock name starts. */
  public enum Root {
    THIS,
    PARAMETER,
    /** A static field or class literal: the family is the lock. */
    GLOBAL,
    /** An object this method allocated: no other thread can hold it before it escapes. */
    FRESH,
    /** Something the analysis does not follow (a method result, an array or map element). */
    UNKNOWN,
    /** The null literal: a callee that locks what it was passed here throws instead. */
    NULL
  }

  public static LockName thisObject(@Nullable LockId family, String text) {
    return new LockName(Root.THIS, -1, ImmutableList.of(), family, ImmutableSet.of(), text);
  }

  public static LockName parameter(int index, @Nullable LockId family, String text) {
    return new LockName(Root.PARAMETER, index, ImmutableList.of(), family, ImmutableSet.of(), text);
  }

  public static LockName global(LockId family, String text) {
    return new LockName(Root.GLOBAL, -1, ImmutableList.of(), family, ImmutableSet.of(), text);
  }

  public static LockName fresh(@Nullable LockId family, String text) {
    return new LockName(Root.FRESH, -1, ImmutableList.of(), family, ImmutableSet.of(), text);
  }

  public static LockName unknown(@Nullable LockId family, String text) {
    return new LockName(Root.UNKNOWN, -1, ImmutableList.of(), family, ImmutableSet.of(), text);
  }

  public static LockName nullReference() {
    return new LockName(Root.NULL, -1, ImmutableList.of(), null, ImmutableSet.of(), "null");
  }

  /** One of several locks ({@code cond ? a : b}): no family, but it may be any of those. */
  public static LockName either(ImmutableSet<LockId> alternatives, String text) {
    return new LockName(Root.UNKNOWN, -1, ImmutableList.of(), null, alternatives, text);
  }

  /** The field {@code field} of this object, whose family is {@code fieldFamily}. */
  public LockName select(String field, @Nullable LockId fieldFamily, String fieldText) {
    if (root == Root.GLOBAL
        || root == Root.UNKNOWN
        || root == Root.NULL
        || fields.size() >= MAX_FIELDS) {
      return new LockName(Root.UNKNOWN, -1, ImmutableList.of(), fieldFamily, ImmutableSet.of(), fieldText);
    }
    if (root == Root.FRESH && (fieldFamily == null || fieldFamily.kind() != LockId.Kind.FIELD)) {
      // A fresh object's own lock is fresh too; what it was given comes from elsewhere.
      return unknown(fieldFamily, fieldText);
    }
    ImmutableList<String> path =
        ImmutableList.<String>builderWithExpectedSize(fields.size() + 1).addAll(fields).add(field).build();
    return new LockName(root, parameter, path, fieldFamily, ImmutableSet.of(), fieldText);
  }

  /** The same object, known by {@code otherFamily} (one of its classes, or the field it is in). */
  /** The same lock, named by other words in messages. */
  public LockName withText(String otherText) {
    return new LockName(root, parameter, fields, family, alternatives, otherText);
  }

  public LockName withFamily(@Nullable LockId otherFamily) {
    return new LockName(root, parameter, fields, otherFamily, alternatives, text);
  }

  /** Whether the name is relative to the method's entry: this or a parameter. */
  public boolean isRelative() {
    return root == Root.THIS || root == Root.PARAMETER;
  }

  /** Whether {@code other} certainly denotes the same object. */
  public boolean sameObjectAs(LockName other) {
    if (root == Root.NULL || other.root == Root.NULL) {
      return false;
    }
    if (root == Root.UNKNOWN || root == Root.FRESH || other.root != root) {
      return family != null && family.isSingleton() && family.equals(other.family);
    }
    if (root == Root.GLOBAL) {
      return family != null && family.equals(other.family) && fields.equals(other.fields);
    }
    return parameter == other.parameter && fields.equals(other.fields);
  }

  /**
   * This callee-relative name in the caller's terms, at a call whose receiver the caller names
   * {@code receiver} and whose arguments it names {@code arguments}. The family of the object
   * itself is the more specific of the two sides' (a parameter typed {@code Object} locked by the
   * callee is the caller's {@code this.ids}); a field's family is the callee's.
   */
  public LockName substitute(
      LockName receiver, List<LockName> arguments, Types types, FieldAliases aliases) {
    LockName base;
    if (root == Root.THIS) {
      base = receiver;
    } else if (root == Root.PARAMETER) {
      if (parameter >= arguments.size()) {
        return unknown(family, text);
      }
      base = arguments.get(parameter);
    } else {
      return this;
    }
    LockName result = fields.isEmpty() ? base : alongFields(base, aliases);
    // The object itself: the more specific family of the two sides'.
    return result != base ? result : base.withFamily(moreSpecific(base.family, family, types));
  }

  /** This name's fields read from {@code base}, so that x.child.parent can go back to x. */
  private LockName alongFields(LockName base, FieldAliases aliases) {
    List<LockName> path = new ArrayList<>(fields.size() + 1);
    path.add(base);
    for (String field : fields) {
      LockName last = path.get(path.size() - 1);
      if (last.isRelative()
          && !last.fields.isEmpty()
          && aliases.isBackPointer(last.fields.get(last.fields.size() - 1), field)) {
        path.remove(path.size() - 1);
        if (path.isEmpty()) {
          path.add(last.withoutLastField(family));
        }
      } else {
        path.add(last.select(field, family, last.fieldText(field)));
      }
    }
    return path.get(path.size() - 1);
  }

  /** How code names field {@code field} ({@code pkg.Owner#name}) of this object. */
  private String fieldText(String field) {
    String name = field.substring(field.indexOf('#') + 1);
    return root == Root.THIS && fields.isEmpty() && text.equals("this") ? name : text + "." + name;
  }

  /** The object whose last field this is, known by {@code objectFamily}. */
  private LockName withoutLastField(@Nullable LockId objectFamily) {
    int dot = text.lastIndexOf('.');
    String objectText = dot > 0 ? text.substring(0, dot) : root == Root.THIS ? "this" : text;
    return new LockName(
        root, parameter, fields.subList(0, fields.size() - 1), objectFamily, ImmutableSet.of(), objectText);
  }

  private static @Nullable LockId moreSpecific(
      @Nullable LockId callers, @Nullable LockId callees, Types types) {
    if (callers == null) {
      return callees;
    }
    if (callees == null || callers.kind() != LockId.Kind.OBJECT || callers.isExactClass()) {
      return callers; // an object new made as one class is of that class, whatever runs on it
    }
    if (callees.kind() != LockId.Kind.OBJECT) {
      return callees;
    }
    // Two classes of one object: the subclass says more.
    return callees.objectClass() != null
            && callers.objectClass() != null
            && callees.objectClass() != callers.objectClass()
            && callees.objectClass().isSubClass(callers.objectClass(), types)
        ? callees
        : callers;
  }

  /**
   * Whether this and {@code other}, two different objects of one family, play symmetric roles in
   * the method: two parameters, or the receiver and a parameter, reached by the same fields. Two
   * threads may then call it with the objects swapped ({@code transfer(a, b)}, {@code
   * transfer(b, a)}), which is no accident of the analysis conflating instances.
   */
  public boolean isSymmetricTo(LockName other) {
    return isRelative()
        && other.isRelative()
        && !(root == Root.THIS && other.root == Root.THIS)
        && !(root == other.root && parameter == other.parameter)
        && fields.equals(other.fields);
  }

  /** How messages name it: the code, and the family when the code does not say it. */
  public String display() {
    if (family == null) {
      return "`" + text + "`";
    }
    if (text.startsWith(family.display() + ", ")) {
      return text; // a family and what is known of where it is held: it says itself
    }
    String plain = text.startsWith("this.") ? text.substring("this.".length()) : text;
    boolean saysItself =
        family.kind() == LockId.Kind.OBJECT
            ? text.equals("this")
            : root == Root.GLOBAL
                ? plain.indexOf('(') < 0 // a static field, however qualified
                : plain.indexOf('.') < 0 && plain.indexOf('(') < 0;
    return saysItself || family.display().equals(text)
        ? family.display()
        : "`" + text + "` (" + family.display() + ")";
  }

  @Override
  public String toString() {
    return display();
  }
}
