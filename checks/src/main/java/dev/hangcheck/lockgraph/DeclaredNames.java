package dev.hangcheck.lockgraph;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ImportTree;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import dev.hangcheck.engine.LockResolver;
import dev.hangcheck.engine.SourceIndex;
import dev.hangcheck.locks.LockId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * What the names of a declared lock order denote: {@code "items"}, {@code "Type.field"}, {@code
 * "Type"}, {@code "Type.class"}, with types simple, nested or qualified, seen as the annotated
 * file sees them (its classes, imports and package), or from a class file's class, or fully
 * qualified (the flag).
 */
final class DeclaredNames {

  private final SourceIndex index;
  private final Function<String, @Nullable ClassSymbol> classNamed;

  DeclaredNames(SourceIndex index, Function<String, @Nullable ClassSymbol> classNamed) {
    this.index = index;
    this.classNamed = classNamed;
  }

  /**
   * The lock a name denotes, seen from {@code cls} in {@code unit} (both null for the flag, whose
   * names are fully qualified): {@code field}, {@code Type.field}, {@code Type}, {@code
   * Type.class}, each type simple, nested or qualified.
   */
  @Nullable LockId resolve(
      @Nullable CompilationUnitTree unit, @Nullable ClassSymbol cls, String name) {
    if (name.endsWith(".class")) {
      ClassSymbol type = resolveType(unit, cls, name.substring(0, name.length() - ".class".length()));
      return type == null ? null : LockResolver.classMonitor(type).family();
    }
    int dot = name.lastIndexOf('.');
    if (dot < 0 && cls != null) {
      VarSymbol field = field(cls, name);
      if (field != null) {
        return index.fieldFamily(field);
      }
    }
    ClassSymbol type = resolveType(unit, cls, name);
    if (type != null) {
      return LockId.object(type);
    }
    if (dot > 0) {
      ClassSymbol owner = resolveType(unit, cls, name.substring(0, dot));
      VarSymbol field = owner == null ? null : field(owner, name.substring(dot + 1));
      if (field != null) {
        return index.fieldFamily(field);
      }
    }
    return null;
  }

  /** A field of {@code cls}, its superclasses or its enclosing classes. */
  private @Nullable VarSymbol field(ClassSymbol cls, String name) {
    for (ClassSymbol scope = cls; scope != null; scope = enclosing(scope)) {
      for (Type type : index.types().closure(scope.type)) {
        for (Symbol member : type.tsym.getEnclosedElements()) {
          if (member instanceof VarSymbol field && field.getSimpleName().contentEquals(name)) {
            return field;
          }
        }
      }
    }
    return null;
  }

  private @Nullable ClassSymbol resolveType(
      @Nullable CompilationUnitTree unit, @Nullable ClassSymbol cls, String dotted) {
    if (dotted.isEmpty()) {
      return null;
    }
    String[] parts = dotted.split("\\.", -1);
    ClassSymbol type =
        unit != null
            ? simpleType(unit, cls, parts[0])
            : cls != null ? simpleTypeOfClassFile(cls, parts[0]) : null;
    int next = 1;
    for (int i = 1; type == null && i <= parts.length; i++) {
      type = lookUp(String.join(".", java.util.Arrays.copyOfRange(parts, 0, i)));
      next = i;
    }
    for (; type != null && next < parts.length; next++) {
      type = memberClass(type, parts[next]);
    }
    return type;
  }

  /** A simple type name as {@code unit} sees it from {@code cls}. */
  private @Nullable ClassSymbol simpleType(
      CompilationUnitTree unit, @Nullable ClassSymbol cls, String simple) {
    for (ClassSymbol scope = cls; scope != null; scope = enclosing(scope)) {
      if (scope.getSimpleName().contentEquals(simple)) {
        return scope;
      }
      for (Type type : index.types().closure(scope.type)) {
        ClassSymbol member = memberClass((ClassSymbol) type.tsym, simple);
        if (member != null) {
          return member;
        }
      }
    }
    List<String> onDemand = new ArrayList<>();
    for (ImportTree imported : unit.getImports()) {
      if (imported.isStatic()) {
        continue;
      }
      String text = imported.getQualifiedIdentifier().toString();
      if (text.endsWith("." + simple)) {
        ClassSymbol found = lookUp(text);
        if (found != null) {
          return found;
        }
      } else if (text.endsWith(".*")) {
        onDemand.add(text.substring(0, text.length() - 1) + simple);
      }
    }
    String pkg = unit.getPackageName() == null ? "" : unit.getPackageName().toString() + ".";
    ClassSymbol samePackage = lookUp(pkg + simple);
    if (samePackage != null) {
      return samePackage;
    }
    for (String candidate : onDemand) {
      ClassSymbol found = lookUp(candidate);
      if (found != null) {
        return found;
      }
    }
    return lookUp("java.lang." + simple);
  }

  /** A simple type name seen from a class file's class: nested, enclosing, same package. */
  private @Nullable ClassSymbol simpleTypeOfClassFile(ClassSymbol cls, String simple) {
    for (ClassSymbol scope = cls; scope != null; scope = enclosing(scope)) {
      if (scope.getSimpleName().contentEquals(simple)) {
        return scope;
      }
      ClassSymbol member = memberClass(scope, simple);
      if (member != null) {
        return member;
      }
    }
    String pkg = cls.packge().getQualifiedName().toString();
    return lookUp(pkg.isEmpty() ? simple : pkg + "." + simple);
  }

  private static @Nullable ClassSymbol memberClass(ClassSymbol owner, String simple) {
    for (Symbol member : owner.getEnclosedElements()) {
      if (member instanceof ClassSymbol nested && nested.getSimpleName().contentEquals(simple)) {
        return nested;
      }
    }
    return null;
  }

  private static @Nullable ClassSymbol enclosing(ClassSymbol cls) {
    Symbol owner = cls.owner;
    while (owner != null && !(owner instanceof ClassSymbol)) {
      owner = owner.owner;
    }
    return owner instanceof ClassSymbol outer ? outer : null;
  }

  private @Nullable ClassSymbol lookUp(String canonicalName) {
    try {
      return classNamed.apply(canonicalName);
    } catch (RuntimeException e) {
      return null; // a class the class path cannot complete
    }
  }

}
