package dev.hangcheck.locks;

import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Type;
import java.util.stream.Collectors;

/** How messages and keys name classes, methods and types: short for people, unique for keys. */
public final class Names {

  private Names() {}

  /** A key unique in one compilation: the flat name ({@code com.acme.Outer$Inner}). */
  public static String classKey(Symbol.TypeSymbol type) {
    return type instanceof ClassSymbol ? ((ClassSymbol) type).flatName().toString() : type.toString();
  }

  /** {@code Outer.Inner}, or {@code Outer.<anonymous Runnable>} for an anonymous class. */
  public static String classDisplay(Symbol.TypeSymbol type) {
    if (!(type instanceof ClassSymbol)) {
      return String.valueOf(type.getSimpleName());
    }
    ClassSymbol cls = (ClassSymbol) type;
    Symbol.ClassSymbol outer = enclosingClass(cls);
    if (cls.getSimpleName().isEmpty()) {
      String outerName = outer == null ? "" : classDisplay(outer) + ".";
      return outerName + "<anonymous " + anonymousSuperName(cls) + ">";
    }
    return outer == null
        ? cls.getSimpleName().toString()
        : classDisplay(outer) + "." + cls.getSimpleName();
  }

  /** {@code Billing.charge(Order)}; constructors as {@code new Billing(Ledger)}. */
  public static String methodDisplay(MethodSymbol method) {
    String owner = classDisplay(method.enclClass());
    String params =
        method.getParameters().stream()
            .map(p -> typeDisplay(p.asType()))
            .collect(Collectors.joining(", "));
    if (method.isConstructor()) {
      return "new " + owner + "(" + params + ")";
    }
    return owner + "." + method.getSimpleName() + "(" + params + ")";
  }

  /** The simple, erased name of a type: {@code String}, {@code byte[]}, {@code List}. */
  public static String typeDisplay(Type type) {
    if (type == null) {
      return "?";
    }
    if (type instanceof Type.ArrayType) {
      return typeDisplay(((Type.ArrayType) type).elemtype) + "[]";
    }
    if (type.isPrimitive() || type.tsym == null) {
      return type.toString();
    }
    return type.tsym.getSimpleName().toString();
  }

  private static ClassSymbol enclosingClass(ClassSymbol cls) {
    Symbol owner = cls.owner;
    while (owner != null && !(owner instanceof ClassSymbol)) {
      owner = owner.owner;
    }
    return (ClassSymbol) owner;
  }

  private static String anonymousSuperName(ClassSymbol cls) {
    if (!cls.getInterfaces().isEmpty()) {
      return typeDisplay(cls.getInterfaces().head);
    }
    Type superclass = cls.getSuperclass();
    return superclass == null ? "class" : typeDisplay(superclass);
  }
}
