package dev.hangcheck.catalog;

import static java.util.stream.Collectors.joining;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import com.google.errorprone.VisitorState;
import com.google.errorprone.util.ASTHelpers;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.code.Type.ArrayType;
import com.sun.tools.javac.code.Types;
import com.sun.tools.javac.util.Context;
import com.sun.tools.javac.util.Names;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Tells which methods and constructors run where blocking is forbidden (an event loop, a UI
 * thread), and why, for messages.
 *
 * <p>A method is non-blocking when:
 *
 * <ol>
 *   <li>it is annotated with a non-blocking annotation ({@link KnownAnnotations#NON_BLOCKING} and
 *       {@code -XepOpt:Hangcheck:NonBlockingAnnotations}); an own blocking annotation instead makes
 *       it blocking, whatever the rules below say;
 *   <li>it overrides or implements a method that is non-blocking by its own annotation or its
 *       class's: the supertype's contract says where it runs;
 *   <li>it matches {@code -XepOpt:Hangcheck:NonBlockingMethods} ({@code Type#method}: a method of
 *       that name declared in the type or a subtype, which includes overrides);
 *   <li>its class, or an outer class of it, carries a non-blocking annotation, and no class in
 *       between carries a blocking one. The search stops at a local or anonymous class: its code
 *       may run later, on another thread.
 * </ol>
 *
 * <p>Lambdas are not handled here: whether a lambda runs on the spot is the engine's business.
 *
 * <p>Answers are memoized per method symbol and dropped when a call comes from another javac {@link
 * Context}. An instance is meant to be owned by one checker instance, which Error Prone uses on one
 * thread.
 */
public final class NonBlockingContexts {

  private final ImmutableSet<String> nonBlockingAnnotations;
  private final ImmutableList<MethodRef> nonBlockingMethods;

  private @Nullable PerCompilation perCompilation;

  /** The flag that names non-blocking methods, as its reason names it. */
  public static final String METHODS_FLAG = "Hangcheck:NonBlockingMethods";

  public NonBlockingContexts(
      ImmutableSet<String> nonBlockingAnnotations, ImmutableList<MethodRef> nonBlockingMethods) {
    this.nonBlockingAnnotations = nonBlockingAnnotations;
    this.nonBlockingMethods = nonBlockingMethods;
  }


  /** Whether {@code method} must not block. */
  public boolean isNonBlocking(MethodSymbol method, VisitorState state) {
    return reason(method, state) != null;
  }

  /**
   * Why {@code method} must not block, to complete "..., which must not block: ___", e.g. {@code
   * annotated @NonBlocking}, {@code overrides EventHandler.onEvent(Event), annotated @NonBlocking},
   * {@code in a class annotated @UiThread}; or null if it may block.
   */
  public @Nullable String reason(MethodSymbol method, VisitorState state) {
    PerCompilation compilation = perCompilation(state);
    Optional<String> known = compilation.reasons.get(method);
    if (known == null) {
      known = Optional.ofNullable(computeReason(method, compilation));
      compilation.reasons.put(method, known);
    }
    return known.orElse(null);
  }

  private @Nullable String computeReason(MethodSymbol method, PerCompilation compilation) {
    String onMethod = KnownAnnotations.findAnnotation(method, nonBlockingAnnotations);
    if (onMethod != null) {
      return "annotated " + KnownAnnotations.display(onMethod);
    }
    if (KnownAnnotations.findAnnotation(method, KnownAnnotations.BLOCKING) != null) {
      return null;
    }
    if (!method.isStatic() && !method.isConstructor()) {
      for (MethodSymbol superMethod : ASTHelpers.findSuperMethods(method, compilation.types)) {
        String inherited = declaredReason(superMethod);
        if (inherited != null) {
          return "overrides " + describe(superMethod) + ", " + inherited;
        }
      }
    }
    for (MethodRef ref : nonBlockingMethods) {
      if (method.getSimpleName().contentEquals(ref.methodName())
          && BlockingCatalog.isSameOrSubtype(
              method.enclClass(),
              compilation.names.fromString(ref.typeName()),
              compilation.types)) {
        return "matches -XepOpt:" + METHODS_FLAG + "=" + ref;
      }
    }
    return enclosingClassReason(method);
  }

  /** The reason a method is non-blocking by its own annotations and its classes', or null. */
  private @Nullable String declaredReason(MethodSymbol method) {
    String onMethod = KnownAnnotations.findAnnotation(method, nonBlockingAnnotations);
    if (onMethod != null) {
      return "annotated " + KnownAnnotations.display(onMethod);
    }
    if (KnownAnnotations.findAnnotation(method, KnownAnnotations.BLOCKING) != null) {
      return null;
    }
    return enclosingClassReason(method);
  }

  /**
   * The nearest enclosing class with a blocking or non-blocking annotation decides; from inside
   * out: the method's class, then its outer classes, stopping at a method (local and anonymous
   * classes).
   */
  private @Nullable String enclosingClassReason(MethodSymbol method) {
    Symbol owner = method.owner;
    while (owner instanceof ClassSymbol enclosingClass) {
      String nonBlocking = KnownAnnotations.findAnnotation(enclosingClass, nonBlockingAnnotations);
      if (nonBlocking != null) {
        String annotation = KnownAnnotations.display(nonBlocking);
        return enclosingClass == method.owner
            ? "in a class annotated " + annotation
            : "in "
                + enclosingClass.getSimpleName()
                + ", an enclosing class annotated "
                + annotation;
      }
      if (KnownAnnotations.findAnnotation(enclosingClass, KnownAnnotations.BLOCKING) != null) {
        return null;
      }
      owner = enclosingClass.owner;
    }
    return null;
  }

  /** {@code EventHandler.onEvent(Event)}. */
  private static String describe(MethodSymbol method) {
    return method.owner.getSimpleName()
        + "."
        + method.getSimpleName()
        + method.type.getParameterTypes().stream()
            .map(NonBlockingContexts::simpleTypeName)
            .collect(joining(", ", "(", ")"));
  }

  private static String simpleTypeName(Type type) {
    if (type instanceof ArrayType array) {
      return simpleTypeName(array.elemtype) + "[]";
    }
    return type.tsym.getSimpleName().toString();
  }

  private PerCompilation perCompilation(VisitorState state) {
    PerCompilation compilation = perCompilation;
    if (compilation == null || compilation.context != state.context) {
      compilation = new PerCompilation(state);
      perCompilation = compilation;
    }
    return compilation;
  }

  /** What is only valid within one javac compilation: symbols and memoized answers. */
  private static final class PerCompilation {
    final Context context;
    final Types types;
    final Names names;
    final Map<MethodSymbol, Optional<String>> reasons = new IdentityHashMap<>();

    PerCompilation(VisitorState state) {
      this.context = state.context;
      this.types = state.getTypes();
      this.names = state.getNames();
    }
  }
}
