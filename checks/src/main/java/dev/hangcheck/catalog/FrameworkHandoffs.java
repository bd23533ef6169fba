package dev.hangcheck.catalog;

import com.google.common.collect.ImmutableSet;
import com.google.errorprone.VisitorState;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.tools.javac.api.JavacTrees;
import com.sun.tools.javac.code.Flags;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.code.Types;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Framework APIs that run the code given to them (a lambda, a method reference, an anonymous
 * class) on a thread that must not block: an event loop's {@code execute}, {@code
 * SwingUtilities.invokeLater}, a Vert.x handler, a Reactor operator.
 */
final class FrameworkHandoffs {

  private static final ImmutableSet<String> NETTY_EXECUTOR_METHODS =
      ImmutableSet.of(
          "execute", "submit", "schedule", "scheduleAtFixedRate", "scheduleWithFixedDelay");

  /**
   * Netty executors that are no event loop: GlobalEventExecutor is where Netty itself moves work
   * off the event loops (closing a pool's channels), ImmediateEventExecutor runs a task on its
   * caller's thread.
   */
  private static final ImmutableSet<String> NETTY_NON_LOOP_EXECUTORS =
      ImmutableSet.of(
          "io.netty.util.concurrent.GlobalEventExecutor",
          "io.netty.util.concurrent.ImmediateEventExecutor");

  private static final ImmutableSet<String> ANDROID_VIEW_POSTS =
      ImmutableSet.of("post", "postDelayed", "postOnAnimation", "postOnAnimationDelayed");

  private static final ImmutableSet<String> ANDROID_HANDLER_POSTS =
      ImmutableSet.of("post", "postDelayed", "postAtTime", "postAtFrontOfQueue");

  /** Vert.x methods whose first argument is the blocking code they offload to a worker. */
  private static final ImmutableSet<String> VERTX_OFFLOADS =
      ImmutableSet.of("executeBlocking", "blockingHandler");

  static final ImmutableSet<String> REACTOR_TYPES =
      ImmutableSet.of(
          "reactor.core.publisher.Mono",
          "reactor.core.publisher.Flux",
          "reactor.core.publisher.ParallelFlux");

  /** The packages of the framework APIs that take code to run (Netty's executors aside). */
  private static final ImmutableSet<String> HANDOFF_PACKAGES =
      ImmutableSet.of(
          "io.vertx.", "reactor.core.publisher.", "javax.swing.", "java.awt.", "javafx.",
          "android.");

  private FrameworkHandoffs() {}

  /** Whether {@code type} is a Reactor {@code Mono} or {@code Flux}; no String made for most types. */
  static boolean isMonoOrFlux(Type type) {
    Symbol symbol = type.tsym;
    return symbol != null
        && (symbol.getSimpleName().contentEquals("Mono")
            || symbol.getSimpleName().contentEquals("Flux"))
        && REACTOR_TYPES.contains(symbol.getQualifiedName().toString());
  }

  /**
   * The erased type of the parameter that argument {@code index} of a call of {@code callee} is
   * given to (the last one for the arguments of a varargs parameter), or null if it has none.
   */
  static @Nullable Type parameterType(MethodSymbol callee, int index, Types types) {
    List<VarSymbol> parameters = callee.getParameters();
    return parameters.isEmpty()
        ? null
        : types.erasure(parameters.get(Math.min(index, parameters.size() - 1)).type);
  }

  /**
   * A quick test, for every call with a lambda among its arguments, that {@link
   * #contextOfArgument} may say anything: a method of a framework package, or named like a Netty
   * executor's or an Android post.
   */
  static boolean mayHandOff(MethodSymbol callee, Set<Framework> enabled) {
    if (enabled.isEmpty()) {
      return false;
    }
    String name = callee.getSimpleName().toString();
    if (NETTY_EXECUTOR_METHODS.contains(name)
        || ANDROID_VIEW_POSTS.contains(name)
        || ANDROID_HANDLER_POSTS.contains(name)
        || name.equals("runOnUiThread")) {
      return true;
    }
    String owner = callee.owner.getQualifiedName().toString();
    for (String framework : HANDOFF_PACKAGES) {
      if (owner.startsWith(framework)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Where the code passed as argument {@code index} of {@code call} runs, e.g. {@code a task run
   * on a Netty event loop}; null when the call is no such API of an enabled framework.
   *
   * @param callPath the path of {@code call}, to see what a Reactor chain does around it and what
   *     a receiver was assigned; null for a quick answer that assumes no offload
   */
  static @Nullable String contextOfArgument(
      MethodInvocationTree call,
      MethodSymbol callee,
      int index,
      @Nullable TreePath callPath,
      Set<Framework> enabled,
      @Nullable ReactorOffload offload,
      VisitorState state) {
    Types types = state.getTypes();
    String name = callee.getSimpleName().toString();
    String owner = callee.owner.getQualifiedName().toString();
    ClassSymbol receiver = receiverClass(call, callee, callPath);
    if (enabled.contains(Framework.NETTY)
        && NETTY_EXECUTOR_METHODS.contains(name)
        && receiver != null
        && !NETTY_NON_LOOP_EXECUTORS.contains(receiver.getQualifiedName().toString())
        && (BlockingCatalog.isSameOrSubtype(receiver, "io.netty.util.concurrent.EventExecutor", types)
            || BlockingCatalog.isSameOrSubtype(receiver, "io.netty.channel.EventLoopGroup", types))) {
      return "a task run on a Netty event loop";
    }
    if (enabled.contains(Framework.SWING)
        && (owner.equals("javax.swing.SwingUtilities") || owner.equals("java.awt.EventQueue"))
        && (name.equals("invokeLater") || name.equals("invokeAndWait"))) {
      return "a task run on the event dispatch thread";
    }
    if (enabled.contains(Framework.JAVAFX)
        && owner.equals("javafx.application.Platform")
        && name.equals("runLater")) {
      return "a task run on the JavaFX application thread";
    }
    if (enabled.contains(Framework.ANDROID) && receiver != null && isAndroidMainThreadPost(call, name, receiver, callPath, state)) {
      return "a task run on the Android main thread";
    }
    if (enabled.contains(Framework.VERTX)
        && owner.startsWith("io.vertx.")
        && !(index == 0 && VERTX_OFFLOADS.contains(name))
        && ((owner.equals("io.vertx.core.Future") && isParameterAnInterface(callee, index, types))
            || isParameterOfType(callee, index, "io.vertx.core.Handler", types))) {
      return "a handler given to "
          + callee.owner.getSimpleName()
          + "."
          + name
          + "(), run on the event loop";
    }
    if (enabled.contains(Framework.REACTOR)
        && (REACTOR_TYPES.contains(owner)
            || (receiver != null && REACTOR_TYPES.contains(receiver.getQualifiedName().toString())))) {
      if (callPath != null && offload != null && offload.isOffloaded(callPath, state)) {
        return null;
      }
      return "a function given to "
          + callee.owner.getSimpleName()
          + "."
          + name
          + "(), run on the thread that emits: a reactive pipeline must not block unless it is"
          + " moved to a blocking scheduler";
    }
    return null;
  }

  /** Whether {@code callee} is a Vert.x method whose first argument is blocking code it offloads. */
  static boolean isVertxOffload(MethodSymbol callee) {
    return VERTX_OFFLOADS.contains(callee.getSimpleName().toString());
  }

  /** The static type of the call's receiver, or the enclosing class for an implicit {@code this}. */
  private static @Nullable ClassSymbol receiverClass(
      MethodInvocationTree call, MethodSymbol callee, @Nullable TreePath callPath) {
    ExpressionTree receiver = ASTHelpers.getReceiver(call);
    if (receiver != null) {
      Type type = ASTHelpers.getType(receiver);
      return type != null && type.tsym instanceof ClassSymbol cls ? cls : null;
    }
    if (callee.isStatic()) {
      return null;
    }
    if (callPath != null) {
      ClassTree enclosing = ASTHelpers.findEnclosingNode(callPath, ClassTree.class);
      if (enclosing != null && ASTHelpers.getSymbol(enclosing) != null) {
        return ASTHelpers.getSymbol(enclosing);
      }
    }
    return callee.owner instanceof ClassSymbol cls ? cls : null;
  }

  /** A function given to a Future (compose, map, ...), not a value (succeededFuture(value)). */
  private static boolean isParameterAnInterface(MethodSymbol callee, int index, Types types) {
    Type type = parameterType(callee, index, types);
    return type != null && type.tsym instanceof ClassSymbol cls && cls.isInterface();
  }

  private static boolean isParameterOfType(
      MethodSymbol callee, int index, String typeName, Types types) {
    Type type = parameterType(callee, index, types);
    return type != null
        && type.tsym instanceof ClassSymbol cls
        && BlockingCatalog.isSameOrSubtype(cls, typeName, types);
  }

  private static boolean isAndroidMainThreadPost(
      MethodInvocationTree call,
      String name,
      ClassSymbol receiver,
      @Nullable TreePath callPath,
      VisitorState state) {
    Types types = state.getTypes();
    if (name.equals("runOnUiThread")
        && BlockingCatalog.isSameOrSubtype(receiver, "android.app.Activity", types)) {
      return true;
    }
    if (ANDROID_VIEW_POSTS.contains(name)
        && BlockingCatalog.isSameOrSubtype(receiver, "android.view.View", types)) {
      return true;
    }
    return ANDROID_HANDLER_POSTS.contains(name)
        && BlockingCatalog.isSameOrSubtype(receiver, "android.os.Handler", types)
        && isMainLooperHandler(ASTHelpers.getReceiver(call), callPath, state, 0);
  }

  /** {@code new Handler(Looper.getMainLooper())}, directly or as the value of a final variable. */
  private static boolean isMainLooperHandler(
      @Nullable ExpressionTree handler, @Nullable TreePath from, VisitorState state, int depth) {
    if (handler == null || depth > 3) {
      return false;
    }
    ExpressionTree expression = ASTHelpers.stripParentheses(handler);
    if (expression instanceof NewClassTree creation) {
      return !creation.getArguments().isEmpty()
          && ASTHelpers.stripParentheses(creation.getArguments().get(0))
                  instanceof MethodInvocationTree looper
          && ASTHelpers.getSymbol(looper) != null
          && ASTHelpers.getSymbol(looper).getSimpleName().contentEquals("getMainLooper");
    }
    if ((expression instanceof IdentifierTree || expression instanceof MemberSelectTree)
        && ASTHelpers.getSymbol(expression) instanceof VarSymbol variable
        && (variable.flags() & (Flags.FINAL | Flags.EFFECTIVELY_FINAL)) != 0) {
      ExpressionTree initializer = initializerOf(variable, from, state);
      return isMainLooperHandler(initializer, from, state, depth + 1);
    }
    return false;
  }

  /** The initializer of a field, or of a local variable declared in the method around {@code from}. */
  static @Nullable ExpressionTree initializerOf(
      VarSymbol variable, @Nullable TreePath from, VisitorState state) {
    if (variable.owner instanceof ClassSymbol) {
      try {
        Tree declaration = JavacTrees.instance(state.context).getTree(variable);
        return declaration instanceof VariableTree field ? field.getInitializer() : null;
      } catch (RuntimeException e) {
        return null; // not a source field
      }
    }
    TreePath method = from;
    while (method != null && !(method.getLeaf() instanceof MethodTree)) {
      method = method.getParentPath();
    }
    if (method == null) {
      return null;
    }
    ExpressionTree[] found = new ExpressionTree[1];
    new TreePathScanner<Void, Void>() {
      @Override
      public Void visitVariable(VariableTree tree, Void unused) {
        Symbol symbol = ASTHelpers.getSymbol(tree);
        if (symbol == variable) {
          found[0] = tree.getInitializer();
        }
        return super.visitVariable(tree, null);
      }
    }.scan(method, null);
    return found[0];
  }
}
