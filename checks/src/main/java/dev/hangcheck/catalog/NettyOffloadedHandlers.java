package dev.hangcheck.catalog;

import com.google.common.collect.ImmutableSet;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Types;
import com.sun.tools.javac.tree.JCTree;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The Netty handlers a compilation adds to a pipeline with an executor group of their own ({@code
 * pipeline.addLast(blockingGroup, new DbHandler())}): Netty's documented way to run a handler that
 * blocks off the event loop, so its callbacks may block. Told by the handler's class, created in
 * the call.
 */
final class NettyOffloadedHandlers {

  private static final ImmutableSet<String> ADDERS =
      ImmutableSet.of("addFirst", "addLast", "addBefore", "addAfter");

  private static final String GROUP = "io.netty.util.concurrent.EventExecutorGroup";

  private NettyOffloadedHandlers() {}

  /** The classes of handlers created as arguments of a pipeline addition that names a group. */
  static Set<ClassSymbol> in(Collection<? extends CompilationUnitTree> units, Types types) {
    Set<ClassSymbol> offloaded = new HashSet<>();
    TreeScanner<Void, Void> scanner =
        new TreeScanner<>() {
          @Override
          public Void visitMethodInvocation(MethodInvocationTree tree, Void unused) {
            if (isAdditionWithAGroup(tree, types)) {
              for (ExpressionTree argument : tree.getArguments().subList(1, tree.getArguments().size())) {
                ExpressionTree handler = ASTHelpers.stripParentheses(argument);
                if (handler instanceof NewClassTree creation) {
                  JCTree.JCNewClass newClass = (JCTree.JCNewClass) creation;
                  Symbol created =
                      newClass.def != null && newClass.def.sym != null
                          ? newClass.def.sym
                          : newClass.type == null ? null : newClass.type.tsym;
                  if (created instanceof ClassSymbol cls) {
                    offloaded.add(cls);
                  }
                }
              }
            }
            return super.visitMethodInvocation(tree, null);
          }
        };
    for (CompilationUnitTree unit : units) {
      scanner.scan(unit, null);
    }
    return offloaded;
  }

  private static boolean isAdditionWithAGroup(MethodInvocationTree call, Types types) {
    if (call.getArguments().size() < 2) {
      return false;
    }
    Symbol symbol = ASTHelpers.getSymbol(call);
    if (!(symbol instanceof MethodSymbol method)
        || !ADDERS.contains(method.getSimpleName().toString())) {
      return false;
    }
    List<Symbol.VarSymbol> parameters = method.getParameters();
    if (parameters.isEmpty()
        || !(types.erasure(parameters.get(0).type).tsym instanceof ClassSymbol first)
        || !FrameworkCallbacks.isSubtype(first, GROUP, types)) {
      return false;
    }
    // addLast(null, handler) names no group: the channel's event loop runs the handler.
    return call.getArguments().get(0).getKind() != Tree.Kind.NULL_LITERAL;
  }
}
