package dev.hangcheck.engine;

import com.google.common.collect.ImmutableSet;
import com.sun.tools.javac.code.Attribute;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.CompletionFailure;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import dev.hangcheck.locks.LockId;
import dev.hangcheck.locks.LockName;
import dev.hangcheck.locks.Names;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Locks that annotations speak of, in the annotated method's terms: {@code @GuardedBy("lock")} on a
 * method (Error Prone's, JSR-305's, JCIP's) and the Checker Framework's {@code @Holding} mean its
 * body runs with that lock held; {@code @LockMethod} / {@code @UnlockMethod} of
 * error_prone_annotations mark methods that take or release locks in bodies not visible here.
 */
final class AnnotatedLocks {

  private static final ImmutableSet<String> HELD_ON_ENTRY =
      ImmutableSet.of(
          "com.google.errorprone.annotations.concurrent.GuardedBy",
          "javax.annotation.concurrent.GuardedBy",
          "net.jcip.annotations.GuardedBy",
          "org.checkerframework.checker.lock.qual.Holding");

  private static final ImmutableSet<String> LOCK_METHOD =
      ImmutableSet.of("com.google.errorprone.annotations.concurrent.LockMethod");

  private static final ImmutableSet<String> UNLOCK_METHOD =
      ImmutableSet.of("com.google.errorprone.annotations.concurrent.UnlockMethod");

  private AnnotatedLocks() {}

  /** Whether an annotation on {@code method} names locks held on entry: cheap, by name only. */
  static boolean declaresHeldOnEntry(MethodSymbol method) {
    try {
      for (Attribute.Compound annotation : method.getAnnotationMirrors()) {
        // Every method of the compilation comes here: look at the simple name first.
        Symbol.TypeSymbol type = annotation.type.tsym;
        if ((type.getSimpleName().contentEquals("GuardedBy")
                || type.getSimpleName().contentEquals("Holding"))
            && HELD_ON_ENTRY.contains(type.getQualifiedName().toString())) {
          return true;
        }
      }
    } catch (CompletionFailure e) {
      // as below
    }
    return false;
  }

  static List<LockName> heldOnEntry(MethodSymbol method, SourceIndex index) {
    return named(method, HELD_ON_ENTRY, index);
  }

  static List<LockName> acquiredBy(MethodSymbol method, SourceIndex index) {
    return named(method, LOCK_METHOD, index);
  }

  static List<LockName> releasedBy(MethodSymbol method, SourceIndex index) {
    return named(method, UNLOCK_METHOD, index);
  }

  private static List<LockName> named(MethodSymbol method, Set<String> annotations, SourceIndex index) {
    List<LockName> locks = new ArrayList<>(0);
    try {
      for (Attribute.Compound annotation : method.getAnnotationMirrors()) {
        if (!annotations.contains(annotation.type.tsym.getQualifiedName().toString())) {
          continue;
        }
        for (String expression : values(annotation)) {
          LockName lock = parse(expression.trim(), method, index);
          if (lock != null) {
            locks.add(lock);
          }
        }
      }
    } catch (CompletionFailure e) {
      // An annotation class missing from the classpath says nothing we can read.
    }
    return locks;
  }

  private static List<String> values(Attribute.Compound annotation) {
    List<String> values = new ArrayList<>();
    for (var entry : annotation.getElementValues().entrySet()) {
      if (!entry.getKey().getSimpleName().contentEquals("value")) {
        continue;
      }
      Attribute value = entry.getValue();
      if (value instanceof Attribute.Array) {
        for (Attribute element : ((Attribute.Array) value).values) {
          if (element.getValue() instanceof String) {
            values.add((String) element.getValue());
          }
        }
      } else if (value.getValue() instanceof String) {
        values.add((String) value.getValue());
      }
    }
    return values;
  }

  /**
   * {@code this}, {@code field}, {@code this.field}, {@code Type.class} or {@code Type.field} (a
   * static field), resolved in the method's class; null for anything else (such as a method call,
   * which the annotation's own checker reads, not this one).
   */
  private static @Nullable LockName parse(String expression, MethodSymbol method, SourceIndex index) {
    ClassSymbol owner = method.enclClass();
    if (expression.equals("this")) {
      return LockResolver.thisMonitor(owner);
    }
    if (expression.endsWith(".class")) {
      ClassSymbol cls = classNamed(expression.substring(0, expression.length() - 6), owner);
      return cls == null ? null : LockResolver.classMonitor(cls);
    }
    String field = expression.startsWith("this.") ? expression.substring(5) : expression;
    ClassSymbol scope = owner;
    int dot = field.lastIndexOf('.');
    if (dot >= 0) {
      scope = classNamed(field.substring(0, dot), owner);
      field = field.substring(dot + 1);
      if (scope == null) {
        return null;
      }
    }
    VarSymbol variable = fieldNamed(scope, field, index);
    if (variable == null) {
      return null;
    }
    LockId family = index.fieldFamily(variable);
    if (variable.isStatic()) {
      return family == null ? null : LockName.global(family, Names.classDisplay(scope) + "." + field);
    }
    if (scope != owner) {
      return null; // an instance field of another class: whose object, the annotation does not say
    }
    return LockResolver.thisMonitor(owner).select(Names.classKey(scope) + "#" + field, family, field);
  }

  private static @Nullable ClassSymbol classNamed(String name, ClassSymbol from) {
    for (Symbol cls = from; cls instanceof ClassSymbol; cls = cls.owner) {
      if (cls.getSimpleName().contentEquals(name)
          || ((ClassSymbol) cls).getQualifiedName().contentEquals(name)) {
        return (ClassSymbol) cls;
      }
    }
    return null;
  }

  private static @Nullable VarSymbol fieldNamed(ClassSymbol cls, String name, SourceIndex index) {
    for (Type type : index.types().closure(cls.type)) {
      if (!(type.tsym instanceof ClassSymbol)) {
        continue;
      }
      for (Symbol member : ((ClassSymbol) type.tsym).getEnclosedElements()) {
        if (member instanceof VarSymbol && member.getSimpleName().contentEquals(name)) {
          return (VarSymbol) member;
        }
      }
    }
    return null;
  }
}
