package dev.hangcheck.engine;

import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.ThrowTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.TypeTag;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A boolean parameter a blocking call depends on: {@code void stop(boolean wait) { ... if (wait)
 * worker.join(); }} blocks only when called with {@code true}, so {@code stop(false)} does not
 * block. The call is under {@code if (p)} (or {@code if (!p)}, {@code if (p && ...)}, or the other
 * branch), or after {@code if (!p) return;}, and the method never assigns {@code p}.
 *
 * @param parameter the index of the parameter
 * @param required the value it must have for the call to run
 */
public record ParameterGuard(int parameter, boolean required) {

  /**
   * The guard of the call at {@code path} in {@code body}, or null if it has none. Asked as the
   * body is scanned, for every call and blocking call: cheap unless the method has a boolean
   * parameter.
   */
  static @Nullable ParameterGuard at(TreePath path, Body body) {
    MethodSymbol method = body.symbol();
    if (body.kind() != Body.Kind.METHOD || method == null || !hasBooleanParameter(method)) {
      return null;
    }
    Tree child = path.getLeaf();
    for (TreePath parent = path.getParentPath();
        parent != null && !(parent.getLeaf() instanceof MethodTree);
        child = parent.getLeaf(), parent = parent.getParentPath()) {
      Tree leaf = parent.getLeaf();
      if (leaf instanceof ClassTree || leaf instanceof LambdaExpressionTree) {
        return null;
      }
      ParameterGuard guard = null;
      if (leaf instanceof IfTree ifTree) {
        if (child == ifTree.getThenStatement()) {
          guard = test(ifTree.getCondition(), method, true);
        } else if (child == ifTree.getElseStatement()) {
          guard = test(ifTree.getCondition(), method, false);
        }
      } else if (leaf instanceof BlockTree block) {
        guard = earlyExitBefore(block, child, method);
      }
      if (guard != null && !body.assignsParameter(guard.parameter())) {
        return guard;
      }
    }
    return null;
  }

  /** {@code if (!p) return;} before {@code statement} in {@code block}: p must be true after it. */
  private static @Nullable ParameterGuard earlyExitBefore(
      BlockTree block, Tree statement, MethodSymbol method) {
    for (StatementTree before : block.getStatements()) {
      if (before == statement) {
        return null;
      }
      if (before instanceof IfTree ifTree
          && ifTree.getElseStatement() == null
          && exits(ifTree.getThenStatement())) {
        ParameterGuard exitWhen = test(ifTree.getCondition(), method, true);
        if (exitWhen != null) {
          return new ParameterGuard(exitWhen.parameter(), !exitWhen.required());
        }
      }
    }
    return null;
  }

  private static boolean exits(StatementTree statement) {
    if (statement instanceof BlockTree block && block.getStatements().size() == 1) {
      statement = block.getStatements().get(0);
    }
    return statement instanceof ReturnTree || statement instanceof ThrowTree;
  }

  /**
   * The guard that {@code condition} having the value {@code holds} puts on a parameter: {@code p}
   * or {@code !p} for a boolean parameter {@code p}.
   */
  private static @Nullable ParameterGuard test(
      ExpressionTree condition, MethodSymbol method, boolean holds) {
    ExpressionTree expression = ASTHelpers.stripParentheses(condition);
    if (expression.getKind() == Tree.Kind.LOGICAL_COMPLEMENT) {
      return test(((UnaryTree) expression).getExpression(), method, !holds);
    }
    // a && b true: both are; a || b false: both are.
    if ((holds && expression.getKind() == Tree.Kind.CONDITIONAL_AND)
        || (!holds && expression.getKind() == Tree.Kind.CONDITIONAL_OR)) {
      BinaryTree both = (BinaryTree) expression;
      ParameterGuard left = test(both.getLeftOperand(), method, holds);
      return left != null ? left : test(both.getRightOperand(), method, holds);
    }
    if (!(expression instanceof IdentifierTree)) {
      return null;
    }
    Symbol symbol = ASTHelpers.getSymbol(expression);
    List<VarSymbol> parameters = method.getParameters();
    int index = parameters.indexOf(symbol);
    if (index < 0 || parameters.get(index).type.getTag() != TypeTag.BOOLEAN) {
      return null;
    }
    return new ParameterGuard(index, holds);
  }

  private static boolean hasBooleanParameter(MethodSymbol method) {
    for (VarSymbol parameter : method.getParameters()) {
      if (parameter.type.getTag() == TypeTag.BOOLEAN) {
        return true;
      }
    }
    return false;
  }

  /**
   * How the guard looks from the caller of {@code call}: ruled out ({@link #NEVER}) by a constant
   * argument of the other value, gone (null) when the argument is that value or unknown, or a
   * guard on the caller's own parameter that it passes on.
   */
  public @Nullable ParameterGuard atCall(CallSite call) {
    Tree tree = call.site().tree();
    List<? extends ExpressionTree> arguments =
        tree instanceof MethodInvocationTree invocation
            ? invocation.getArguments()
            : tree instanceof NewClassTree creation ? creation.getArguments() : null;
    if (arguments == null || parameter >= arguments.size()) {
      return null;
    }
    ExpressionTree argument = ASTHelpers.stripParentheses(arguments.get(parameter));
    Object constant = ASTHelpers.constValue(argument);
    if (constant instanceof Boolean value) {
      return value == required ? null : NEVER;
    }
    Body caller = call.site().body();
    if (argument instanceof IdentifierTree && caller.kind() == Body.Kind.METHOD && caller.symbol() != null) {
      ParameterGuard passedOn = test(argument, caller.symbol(), required);
      if (passedOn != null && !caller.assignsParameter(passedOn.parameter())) {
        return passedOn;
      }
    }
    return null;
  }

  /** A guard no call can meet: the blocking call does not run through that call. */
  public static final ParameterGuard NEVER = new ParameterGuard(-1, false);
}
