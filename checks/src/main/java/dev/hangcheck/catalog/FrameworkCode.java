package dev.hangcheck.catalog;

import com.google.common.collect.ImmutableSet;
import com.google.common.collect.Sets;
import com.google.errorprone.VisitorState;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.api.JavacTrees;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.code.Types;
import dev.hangcheck.catalog.NonBlockingContexts.Creation;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Where the enabled frameworks run code that must not block, as {@link NonBlockingContexts} asks
 * it: callbacks by the framework method they override ({@link FrameworkCallbacks}), WebFlux
 * handlers, and code handed to framework APIs ({@link FrameworkHandoffs}): lambdas, method
 * references, anonymous classes, and objects of named classes created in the call. What the whole
 * compilation says (Netty handlers with a group of their own, handler classes, callers of Reactor
 * chains) is learned before methods are asked about.
 */
final class FrameworkCode {

  /** Where a framework API runs the objects of a class given to it, and through which type. */
  private record HandlerClass(ClassSymbol parameterType, String context) {}

  private static final Comparator<HandlerClass> HANDLER_ORDER =
      Comparator.comparing(HandlerClass::context)
          .thenComparing(handler -> handler.parameterType().flatName().toString());

  private final ImmutableSet<Framework> frameworks;
  private final ReactorOffload reactorOffload;
  private final CompilationScoped<PerCompilation> perCompilation =
      new CompilationScoped<>(PerCompilation::new);

  FrameworkCode(ImmutableSet<Framework> frameworks, ReactorOffload reactorOffload) {
    this.frameworks = frameworks;
    this.reactorOffload = reactorOffload;
  }

  /**
   * Looks once at the whole compilation for the callers of methods that return a Reactor chain.
   * Returns whether answers given before may change.
   */
  boolean prepare(Collection<? extends CompilationUnitTree> units, VisitorState state) {
    PerCompilation compilation = perCompilation(state);
    if (frameworks.contains(Framework.REACTOR)
        && state.getSymbolFromString("reactor.core.publisher.Mono") != null) {
      reactorOffload.prepare(units, state);
    }
    return false;
  }

  /**
   * Learns which named classes are handlers given to framework APIs ({@code vertx.setTimer(10,
   * new Ticker())}); returns whether any was found.
   */
  boolean learnHandlerClasses(List<Creation> creations, VisitorState state) {
    PerCompilation compilation = perCompilation(state);
    boolean learned = false;
    for (Creation creation : creations) {
      MethodSymbol callee = ASTHelpers.getSymbol(creation.call());
      if (frameworks.contains(Framework.NETTY)
          && creation.argument() > 0
          && NettyOffloadedHandlers.isAdditionWithAGroup(creation.call(), compilation.types)) {
        learned |= compilation.offloadedHandlers.add(creation.cls());
        continue;
      }
      if (callee != null
          && creation.argument() == 0
          && callee.owner.getQualifiedName().toString().startsWith("io.vertx.")
          && FrameworkHandoffs.isVertxOffload(callee)) {
        compilation.vertxOffloaded.add(creation.cls()); // route.blockingHandler(new Export())
        learned = true;
        continue;
      }
      if (creation.cls().isAnonymous()) {
        continue; // known by where it is created: anonymousClassHandoff
      }
      if (callee == null || !FrameworkHandoffs.mayHandOff(callee, frameworks)) {
        continue;
      }
      // Not Reactor: whether its chain moves the work to a blocking scheduler needs the call's path.
      String context =
          FrameworkHandoffs.contextOfArgument(
              creation.call(),
              callee,
              creation.argument(),
              null,
              Sets.difference(frameworks, ImmutableSet.of(Framework.REACTOR)),
              null,
              state);
      Type parameter =
          FrameworkHandoffs.parameterType(callee, creation.argument(), compilation.types);
      // The API takes it as a callback interface (Handler, Runnable), not as a value (Object, T).
      if (context != null
          && parameter != null
          && parameter.tsym instanceof ClassSymbol parameterType
          && parameterType.isInterface()) {
        // Given to several APIs: the same one whatever the order of the files.
        HandlerClass found = new HandlerClass(parameterType, context);
        HandlerClass known = compilation.handlerClasses.get(creation.cls());
        if (known == null || HANDLER_ORDER.compare(found, known) < 0) {
          compilation.handlerClasses.put(creation.cls(), found);
          learned = true;
        }
      }
    }
    return learned;
  }

  /**
   * Where a framework runs {@code method}, which overrides {@code superMethods}: a callback, a
   * WebFlux handler, a method of a handler object given to an API; or null.
   */
  @Nullable String methodContext(
      MethodSymbol method,
      @Nullable TreePath methodPath,
      List<MethodSymbol> superMethods,
      VisitorState state) {
    PerCompilation compilation = perCompilation(state);
    boolean offloaded = compilation.offloadedHandlers.contains(method.enclClass());
    for (MethodSymbol superMethod : superMethods) {
      String callback =
          offloaded
              ? FrameworkCallbacks.contextOf(
                  superMethod,
                  Sets.difference(frameworks, ImmutableSet.of(Framework.NETTY)),
                  compilation.types)
              : callbackContext(superMethod, state);
      if (callback != null) {
        return callback;
      }
    }
    String handler = WebFluxHandlers.contextOf(method, frameworks, compilation.types);
    if (handler != null) {
      return handler;
    }
    String handoff = anonymousClassHandoff(method, methodPath, superMethods, compilation);
    if (handoff != null) {
      return handoff;
    }
    // A method of a named class given to such an API, implementing the parameter's method.
    HandlerClass given = compilation.handlerClasses.get(method.enclClass());
    if (given != null
        && superMethods.stream().anyMatch(superMethod -> superMethod.owner == given.parameterType())) {
      return given.context();
    }
    return method.getSimpleName().contentEquals("handle")
            && !compilation.vertxOffloaded.contains(method.enclClass())
            && isRouteHandler(method.enclClass().type, compilation.types)
        ? ROUTE_HANDLER
        : null;
  }

  private static final String ROUTE_HANDLER = "a Vert.x Web route handler, run on the event loop";

  /**
   * Whether {@code type} is a {@code Handler<RoutingContext>}: whoever gives it to a route, in
   * this compilation or another, runs it on the event loop, unless as a {@code blockingHandler}.
   */
  private boolean isRouteHandler(Type type, Types types) {
    if (!frameworks.contains(Framework.VERTX)) {
      return false;
    }
    try {
      for (Type supertype : types.closure(type)) {
        if (isHandlerOfRoutingContext(supertype)) {
          return true;
        }
      }
    } catch (Symbol.CompletionFailure e) {
      // A supertype missing from the class path: not one we can tell.
    }
    return false;
  }

  private static boolean isHandlerOfRoutingContext(Type type) {
    return type.tsym != null
        && type.tsym.getSimpleName().contentEquals("Handler")
        && type.tsym.getQualifiedName().contentEquals("io.vertx.core.Handler")
        && type.getTypeArguments().size() == 1
        && type.getTypeArguments().get(0).tsym != null
        && type.getTypeArguments()
            .get(0)
            .tsym
            .getQualifiedName()
            .contentEquals("io.vertx.ext.web.RoutingContext");
  }

  /**
   * For a lambda or method reference: a route handler by its type ({@code Handler<RoutingContext>
   * handler = ctx -> ...}), wherever it is given later.
   */
  @Nullable String functionTypeContext(Type target) {
    return frameworks.contains(Framework.VERTX) && isHandlerOfRoutingContext(target)
        ? ROUTE_HANDLER
        : null;
  }

  /** {@link FrameworkCallbacks#contextOf}, memoized: asked for every method's super methods. */
  @Nullable String callbackContext(MethodSymbol declared, VisitorState state) {
    PerCompilation compilation = perCompilation(state);
    return compilation
        .callbackContexts
        .computeIfAbsent(
            declared,
            method ->
                Optional.ofNullable(
                    FrameworkCallbacks.contextOf(method, frameworks, compilation.types)))
        .orElse(null);
  }

  /**
   * A quick test that {@code function}, an argument of {@code call}, may be code handed to a
   * framework API; {@link #argumentHandoff} says for sure.
   */
  boolean mayBeHandedOff(MethodInvocationTree call, ExpressionTree function, VisitorState state) {
    MethodSymbol callee = ASTHelpers.getSymbol(call);
    if (callee == null || !FrameworkHandoffs.mayHandOff(callee, frameworks)) {
      return false;
    }
    int index = call.getArguments().indexOf(function);
    return index >= 0
        && FrameworkHandoffs.contextOfArgument(call, callee, index, null, frameworks, null, state)
            != null;
  }

  /** The context of code given as an argument to a framework API, or null. */
  @Nullable String argumentHandoff(TreePath argumentPath, VisitorState state) {
    Tree argument = argumentPath.getLeaf();
    TreePath parent = argumentPath.getParentPath();
    while (parent != null && parent.getLeaf() instanceof ParenthesizedTree) {
      argument = parent.getLeaf();
      parent = parent.getParentPath();
    }
    if (parent == null || !(parent.getLeaf() instanceof MethodInvocationTree call)) {
      return null;
    }
    MethodSymbol callee = ASTHelpers.getSymbol(call);
    if (callee == null || !FrameworkHandoffs.mayHandOff(callee, frameworks)) {
      return null;
    }
    int index = call.getArguments().indexOf(argument);
    return index < 0
        ? null
        : FrameworkHandoffs.contextOfArgument(
            call, callee, index, parent, frameworks, reactorOffload, state);
  }

  /**
   * For a method of an anonymous class given to a framework API ({@code
   * SwingUtilities.invokeLater(new Runnable() {...})}): where it runs, if it implements the
   * parameter's method.
   */
  private @Nullable String anonymousClassHandoff(
      MethodSymbol method,
      @Nullable TreePath methodPath,
      List<MethodSymbol> superMethods,
      PerCompilation compilation) {
    if (superMethods.isEmpty()
        || !(method.owner instanceof ClassSymbol owner)
        || !owner.isAnonymous()) {
      return null;
    }
    TreePath classPath =
        methodPath != null ? methodPath.getParentPath() : compilation.trees.getPath(owner);
    if (classPath == null
        || classPath.getParentPath() == null
        || !(classPath.getParentPath().getLeaf() instanceof NewClassTree)) {
      return null;
    }
    TreePath creation = classPath.getParentPath();
    Type created = ASTHelpers.getType(creation.getLeaf());
    if (created == null || !(created.tsym instanceof ClassSymbol)) {
      return null;
    }
    // The anonymous class's supertype is what the API asked for; the callback is its method.
    Type supertype =
        owner.getInterfaces().isEmpty() ? owner.getSuperclass() : owner.getInterfaces().get(0);
    boolean implementsIt =
        superMethods.stream().anyMatch(superMethod -> superMethod.owner == supertype.tsym);
    return implementsIt ? argumentHandoff(creation, compilation.state) : null;
  }

  private PerCompilation perCompilation(VisitorState state) {
    return perCompilation.get(state);
  }

  /** What is only valid within one javac compilation. */
  private static final class PerCompilation {
    final VisitorState state;
    final Types types;
    final JavacTrees trees;
    final Map<MethodSymbol, Optional<String>> callbackContexts = new IdentityHashMap<>();
    final Map<ClassSymbol, HandlerClass> handlerClasses = new IdentityHashMap<>();
    final Set<ClassSymbol> vertxOffloaded = new HashSet<>();
    final Set<ClassSymbol> offloadedHandlers = new HashSet<>();

    PerCompilation(VisitorState state) {
      this.state = state;
      this.types = state.getTypes();
      this.trees = JavacTrees.instance(state.context);
    }
  }
}
