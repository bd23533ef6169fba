package dev.hangcheck.catalog;

import com.google.common.collect.ImmutableSet;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.Tree;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.code.Types;

/**
 * The Netty handlers added to a pipeline with an executor group of their own ({@code
 * pipeline.addLast(blockingGroup, new DbHandler())}): Netty's documented way to run a handler that
 * blocks off the event loop, so its callbacks may block. Told by the handler's class, created in
 * the call.
 */
final class NettyOffloadedHandlers {

  private static final ImmutableSet<String> ADDERS =
      ImmutableSet.of("addFirst", "addLast", "addBefore", "addAfter");

  private static final String GROUP = "io.netty.util.concurrent.EventExecutorGroup";

  private NettyOffloadedHandlers() {}

  /**
   * Whether {@code call} adds handlers to a pipeline with an executor group of their own: those
   * created among its other arguments are no event-loop code.
   */
  static boolean isAdditionWithAGroup(MethodInvocationTree call, Types types) {
    if (call.getArguments().size() < 2) {
      return false;
    }
    Symbol symbol = ASTHelpers.getSymbol(call);
    if (!(symbol instanceof MethodSymbol method)
        || !ADDERS.contains(method.getSimpleName().toString())) {
      return false;
    }
    Type first = FrameworkHandoffs.parameterType(method, 0, types);
    if (first == null
        || !(first.tsym instanceof ClassSymbol group)
        || !BlockingCatalog.isSameOrSubtype(group, GROUP, types)) {
      return false;
    }
    // addLast(null, handler) names no group: the channel's event loop runs the handler.
    return call.getArguments().get(0).getKind() != Tree.Kind.NULL_LITERAL;
  }
}
