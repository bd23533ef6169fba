package dev.hangcheck.catalog;

import static java.util.stream.Collectors.joining;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import com.google.errorprone.VisitorState;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Type.ArrayType;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.code.Types;
import com.sun.tools.javac.util.Context;
import com.sun.tools.javac.util.Name;
import com.sun.tools.javac.util.Names;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
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
 *       may run later, on another thread;
 *   <li>a framework calls it where blocking is forbidden ({@link Framework}): it overrides a
 *       framework callback ({@link FrameworkCallbacks}), it is a Spring WebFlux handler, or it
 *       belongs to an anonymous class given to a framework API that runs it there ({@link
 *       FrameworkHandoffs}).
 * </ol>
 *
 * <p>A blocking annotation, {@code @WorkerThread}, on the method or its class says the opposite
 * and wins over the framework rules. Lambdas and method references are asked about with {@link
 * #functionReason}: whether they run on the spot is the engine's business, where they run when they
 * are deferred is told here.
 *
 * <p>Answers are memoized per method symbol and dropped when a call comes from another javac {@link
 * Context}. An instance is meant to be owned by one checker instance, which Error Prone uses on one
 * thread.
 */
public final class NonBlockingContexts {

  private final ImmutableSet<String> nonBlockingAnnotations;
  private final ImmutableList<MethodRef> nonBlockingMethods;
  private final FrameworkCode frameworkCode;
  /** Every annotation that says whether code may block: one look at a symbol's annotations. */
  private final ImmutableSet<String> designating;

  private final CompilationScoped<PerCompilation> perCompilation =
      new CompilationScoped<>(PerCompilation::new);

  /** The flag that names non-blocking methods, as its reason names it. */
  public static final String METHODS_FLAG = "Hangcheck:NonBlockingMethods";

  public NonBlockingContexts(
      ImmutableSet<String> nonBlockingAnnotations,
      ImmutableList<MethodRef> nonBlockingMethods,
      ImmutableSet<Framework> frameworks,
      ReactorOffload reactorOffload) {
    this.nonBlockingAnnotations = nonBlockingAnnotations;
    this.nonBlockingMethods = nonBlockingMethods;
    this.frameworkCode = new FrameworkCode(frameworks, reactorOffload);
    this.designating =
        ImmutableSet.<String>builder()
            .addAll(nonBlockingAnnotations)
            .addAll(KnownAnnotations.BLOCKING)
            .addAll(KnownAnnotations.WORKER_THREAD)
            .build();
  }

  /**
   * Looks once at the whole compilation for what changes where framework code runs: the Netty
   * handlers added to a pipeline with an executor group of their own, the callers of methods that
   * return a Reactor chain. Call before asking about methods; without it none is known.
   */
  public void prepare(Collection<? extends CompilationUnitTree> units, VisitorState state) {
    if (frameworkCode.prepare(units, state)) {
      perCompilation(state).reasons.clear(); // answers given before knew fewer offloads
    }
  }

  /**
   * An object created as an argument of a call ({@code requestHandler(new RequestLogger())},
   * {@code pipeline.addLast(group, new DbHandler())}): the API may run its methods where blocking
   * is forbidden, or move them off the event loop.
   */
  public record Creation(MethodInvocationTree call, int argument, ClassSymbol cls) {}

  /**
   * Learns, from every object the compilation creates as an argument of a call, which classes are
   * handlers given to framework APIs ({@code vertx.setTimer(10, new Ticker())}) and which are
   * moved off the event loop ({@code pipeline.addLast(group, new DbHandler())}); returns whether any
   * was found, after which methods must be asked about again.
   */
  public boolean learnHandlerClasses(List<Creation> creations, VisitorState state) {
    boolean learned = frameworkCode.learnHandlerClasses(creations, state);
    if (learned) {
      perCompilation(state).reasons.clear(); // answers given before knew fewer handlers
    }
    return learned;
  }

  /** Whether {@code method} must not block. */
  public boolean isNonBlocking(MethodSymbol method, VisitorState state) {
    return reason(method, state) != null;
  }

  /** Whether {@code method}, declared at {@code methodPath}, must not block. */
  public boolean isNonBlocking(MethodSymbol method, TreePath methodPath, VisitorState state) {
    return reason(method, methodPath, state) != null;
  }

  /**
   * Why {@code method} must not block, to complete "..., which must not block: ___", e.g. {@code
   * annotated @NonBlocking}, {@code overrides EventHandler.onEvent(Event), annotated @NonBlocking},
   * {@code in a class annotated @UiThread}; or null if it may block.
   */
  public @Nullable String reason(MethodSymbol method, VisitorState state) {
    return reason(method, null, state);
  }

  /**
   * As {@link #reason(MethodSymbol, VisitorState)}, given where the method is declared: a method of
   * an anonymous class is known by where the class is created ({@code invokeLater(new Runnable()
   * {...})}).
   */
  public @Nullable String reason(
      MethodSymbol method, @Nullable TreePath methodPath, VisitorState state) {
    PerCompilation compilation = perCompilation(state);
    Optional<String> known = compilation.reasons.get(method);
    if (known == null) {
      known = Optional.ofNullable(computeReason(method, methodPath, compilation));
      compilation.reasons.put(method, known);
    }
    return known.orElse(null);
  }

  private @Nullable String computeReason(
      MethodSymbol method, @Nullable TreePath methodPath, PerCompilation compilation) {
    String onMethod = KnownAnnotations.findAnnotation(method, designating);
    if (onMethod != null) {
      return nonBlockingAnnotations.contains(onMethod)
          ? "annotated " + KnownAnnotations.display(onMethod)
          : null;
    }
    List<MethodSymbol> superMethods =
        method.isStatic() || method.isConstructor()
            ? List.of()
            : List.copyOf(ASTHelpers.findSuperMethods(method, compilation.types));
    for (MethodSymbol superMethod : superMethods) {
      String inherited = declaredReason(superMethod);
      if (inherited != null) {
        return "overrides " + describe(superMethod) + ", " + inherited;
      }
    }
    String byFlag = flagReason(method.getSimpleName(), method.enclClass(), compilation);
    if (byFlag != null) {
      return byFlag;
    }
    ClassReason byClass = enclosingClassReason(method);
    if (byClass.mayBlock()) {
      return null;
    }
    if (byClass.reason() != null) {
      return byClass.reason();
    }
    return frameworkCode.methodContext(method, methodPath, superMethods, compilation.state);
  }

  /**
   * Where a deferred lambda or method reference runs, to complete "..., which must not block:
   * ___", or null if it may block: by its functional interface's method (annotated, named in
   * {@value #METHODS_FLAG}, or a framework callback), or by the framework API it is given to.
   */
  public @Nullable String functionReason(TreePath functionPath, VisitorState state) {
    PerCompilation compilation = perCompilation(state);
    Tree function = functionPath.getLeaf();
    Type target = ASTHelpers.getType(function);
    if (target == null || !(target.tsym instanceof ClassSymbol functionalInterface)) {
      return null;
    }
    MethodSymbol implemented = functionalMethod(functionalInterface, compilation);
    if (implemented != null) {
      String declared = declaredReason(implemented);
      if (declared != null) {
        return "implements " + describe(implemented) + ", " + declared;
      }
      String byFlag = flagReason(implemented.getSimpleName(), functionalInterface, compilation);
      if (byFlag != null) {
        return byFlag;
      }
      String callback = frameworkCode.callbackContext(implemented, state);
      if (callback != null) {
        return callback;
      }
    }
    String byType = frameworkCode.functionTypeContext(target);
    return byType != null ? byType : frameworkCode.argumentHandoff(functionPath, state);
  }

  /**
   * A quick test, made on all code before it is analysed, that {@code function} (a lambda or
   * method reference, argument of {@code enclosingCall} if any) may run where blocking is
   * forbidden: {@link #functionReason} says for sure, later.
   */
  public boolean mayBeNonBlockingFunction(
      ExpressionTree function, @Nullable MethodInvocationTree enclosingCall, VisitorState state) {
    PerCompilation compilation = perCompilation(state);
    Type target = ASTHelpers.getType(function);
    if (target != null
        && target.tsym instanceof ClassSymbol functionalInterface
        && compilation.callbackInterfaces.computeIfAbsent(
            functionalInterface, type -> isCallbackInterface(type, compilation))) {
      return true;
    }
    if (target != null && frameworkCode.functionTypeContext(target) != null) {
      return true;
    }
    return enclosingCall != null && frameworkCode.mayBeHandedOff(enclosingCall, function, state);
  }

  /** Whether lambdas of this functional interface are callbacks by its method alone. */
  private boolean isCallbackInterface(ClassSymbol functionalInterface, PerCompilation compilation) {
    MethodSymbol implemented = functionalMethod(functionalInterface, compilation);
    return implemented != null
        && (declaredReason(implemented) != null
            || flagReason(implemented.getSimpleName(), functionalInterface, compilation) != null
            || frameworkCode.callbackContext(implemented, compilation.state) != null);
  }

  private @Nullable String flagReason(
      Name methodName, ClassSymbol inType, PerCompilation compilation) {
    for (MethodRef ref : nonBlockingMethods) {
      if (methodName.contentEquals(ref.methodName())
          && BlockingCatalog.isSameOrSubtype(
              inType, compilation.names.fromString(ref.typeName()), compilation.types)) {
        return "matches -XepOpt:" + METHODS_FLAG + "=" + ref;
      }
    }
    return null;
  }

  private static @Nullable MethodSymbol functionalMethod(
      ClassSymbol functionalInterface, PerCompilation compilation) {
    try {
      Symbol descriptor = compilation.types.findDescriptorSymbol(functionalInterface);
      return descriptor instanceof MethodSymbol method ? method : null;
    } catch (Types.FunctionDescriptorLookupError | Symbol.CompletionFailure e) {
      return null;
    }
  }

  /** The reason a method is non-blocking by its own annotations and its classes', or null. */
  private @Nullable String declaredReason(MethodSymbol method) {
    String onMethod = KnownAnnotations.findAnnotation(method, designating);
    if (onMethod != null) {
      return nonBlockingAnnotations.contains(onMethod)
          ? "annotated " + KnownAnnotations.display(onMethod)
          : null;
    }
    return enclosingClassReason(method).reason();
  }

  /** What the annotations of a method's classes say: a reason it must not block, or that it may. */
  private record ClassReason(@Nullable String reason, boolean mayBlock) {}

  private static final ClassReason NOTHING_SAID = new ClassReason(null, false);

  /**
   * The nearest enclosing class with a blocking or non-blocking annotation decides; from inside
   * out: the method's class, then its outer classes, stopping at a method (local and anonymous
   * classes).
   */
  private ClassReason enclosingClassReason(MethodSymbol method) {
    Symbol owner = method.owner;
    while (owner instanceof ClassSymbol enclosingClass) {
      String found = KnownAnnotations.findAnnotation(enclosingClass, designating);
      String nonBlocking = found != null && nonBlockingAnnotations.contains(found) ? found : null;
      if (nonBlocking != null) {
        String annotation = KnownAnnotations.display(nonBlocking);
        return new ClassReason(
            enclosingClass == method.owner
                ? "in a class annotated " + annotation
                : "in "
                    + enclosingClass.getSimpleName()
                    + ", an enclosing class annotated "
                    + annotation,
            false);
      }
      if (found != null) {
        return new ClassReason(null, true); // a blocking or @WorkerThread annotation
      }
      owner = enclosingClass.owner;
    }
    return NOTHING_SAID;
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
    return perCompilation.get(state);
  }

  /** What is only valid within one javac compilation: symbols and memoized answers. */
  private static final class PerCompilation {
    final VisitorState state;
    final Types types;
    final Names names;
    final Map<MethodSymbol, Optional<String>> reasons = new IdentityHashMap<>();
    final Map<ClassSymbol, Boolean> callbackInterfaces = new IdentityHashMap<>();

    PerCompilation(VisitorState state) {
      this.state = state;
      this.types = state.getTypes();
      this.names = state.getNames();
    }
  }
}
