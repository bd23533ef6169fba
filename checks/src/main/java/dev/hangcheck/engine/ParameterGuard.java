package dev.hangcheck.engine;

import com.google.common.collect.ImmutableList;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.ThrowTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.code.TypeTag;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the parameters of a method must be for a call in it to run, as far as tests of a parameter
 * against a constant tell: {@code void stop(boolean wait) { ... if (wait) worker.join(); }} blocks
 * only when called with {@code true}; {@code resolve(Wiring w) { if (w != null) attach(w); }}
 * attaches nothing when called with {@code null}; {@code adapt(Class<A> type) { if (type ==
 * Context.class) ... else if (type == Domain.class) lockDomain(); }} locks nothing for {@code
 * adapt(Context.class)}. Each test is on a parameter the method never assigns, in an {@code if} or
 * {@code ?:} the call is under (or in the other branch of), or an {@code if (...) return;} before
 * it. A constant argument at a call that fails one of them rules the call out ({@link #NEVER}).
 *
 * @param conditions all of which must hold, in source order from the innermost
 */
public record ParameterGuard(ImmutableList<Condition> conditions)
    implements Comparable<ParameterGuard> {

  /** What is tested: a boolean parameter itself, its being null, or its being one class literal. */
  public enum Test {
    IS_TRUE,
    IS_NULL,
    IS_CLASS
  }

  /**
   * One test on a parameter, and the outcome the call needs.
   *
   * @param className for {@link Test#IS_CLASS}, the class literal's class (qualified), else ""
   */
  public record Condition(int parameter, Test test, String className, boolean required) {
    private static final Comparator<Condition> ORDER =
        Comparator.comparingInt(Condition::parameter)
            .thenComparing(Condition::test)
            .thenComparing(Condition::className)
            .thenComparing(Condition::required);

    Condition negated(boolean negate) {
      return negate ? new Condition(parameter, test, className, !required) : this;
    }
  }

  /** Enough to rule out the branches of a type switch; the rest are dropped (a weaker guard). */
  private static final int MAX_CONDITIONS = 8;

  /** A guard no call can meet: what it guards does not run through that call. */
  public static final ParameterGuard NEVER = new ParameterGuard(ImmutableList.of());

  /** The single condition "boolean parameter {@code parameter} is {@code required}". */
  public static ParameterGuard onBoolean(int parameter, boolean required) {
    return new ParameterGuard(ImmutableList.of(new Condition(parameter, Test.IS_TRUE, "", required)));
  }

  /**
   * Whether this is one condition on a boolean parameter (the only guard the summaries across
   * javac runs record): then {@code conditions().get(0)} says which and what.
   */
  public boolean isOneBooleanCondition() {
    return conditions.size() == 1 && conditions.get(0).test() == Test.IS_TRUE;
  }

  @Override
  public int compareTo(ParameterGuard other) {
    for (int i = 0; i < Math.min(conditions.size(), other.conditions.size()); i++) {
      int byCondition = Condition.ORDER.compare(conditions.get(i), other.conditions.get(i));
      if (byCondition != 0) {
        return byCondition;
      }
    }
    return Integer.compare(conditions.size(), other.conditions.size());
  }

  /**
   * The guard of the call at {@code path} in {@code body}, or null if it has none. Asked as the
   * body is scanned, for every call, acquisition and blocking call: a walk up to the method.
   */
  static @Nullable ParameterGuard at(TreePath path, Body body) {
    MethodSymbol method = body.symbol();
    if (body.kind() != Body.Kind.METHOD || method == null || method.getParameters().isEmpty()) {
      return null;
    }
    List<Condition> found = new ArrayList<>();
    Tree child = path.getLeaf();
    for (TreePath parent = path.getParentPath();
        parent != null && !(parent.getLeaf() instanceof MethodTree);
        child = parent.getLeaf(), parent = parent.getParentPath()) {
      Tree leaf = parent.getLeaf();
      if (leaf instanceof ClassTree || leaf instanceof LambdaExpressionTree) {
        return null;
      }
      if (leaf instanceof IfTree ifTree) {
        if (child == ifTree.getThenStatement()) {
          test(ifTree.getCondition(), method, true, found);
        } else if (child == ifTree.getElseStatement()) {
          test(ifTree.getCondition(), method, false, found);
        }
      } else if (leaf instanceof ConditionalExpressionTree conditional) {
        if (child == conditional.getTrueExpression()) {
          test(conditional.getCondition(), method, true, found);
        } else if (child == conditional.getFalseExpression()) {
          test(conditional.getCondition(), method, false, found);
        }
      } else if (leaf instanceof BlockTree block) {
        earlyExitsBefore(block, child, method, found);
      }
    }
    found.removeIf(condition -> body.assignsParameter(condition.parameter()));
    return found.isEmpty() ? null : of(found);
  }

  private static ParameterGuard of(List<Condition> conditions) {
    return new ParameterGuard(
        ImmutableList.copyOf(conditions.subList(0, Math.min(conditions.size(), MAX_CONDITIONS))));
  }

  /** {@code if (!p) return;} before {@code statement} in {@code block}: p must be true after it. */
  private static void earlyExitsBefore(
      BlockTree block, Tree statement, MethodSymbol method, List<Condition> found) {
    for (StatementTree before : block.getStatements()) {
      if (before == statement) {
        return;
      }
      if (before instanceof IfTree ifTree
          && ifTree.getElseStatement() == null
          && exits(ifTree.getThenStatement())) {
        test(ifTree.getCondition(), method, false, found);
      }
    }
  }

  private static boolean exits(StatementTree statement) {
    if (statement instanceof BlockTree block && block.getStatements().size() == 1) {
      statement = block.getStatements().get(0);
    }
    return statement instanceof ReturnTree || statement instanceof ThrowTree;
  }

  /**
   * Adds the conditions that {@code condition} having the value {@code holds} puts on parameters:
   * {@code p} or {@code !p} for a boolean parameter, {@code p == null}, {@code p != null}, {@code p
   * == X.class} (either way round, or {@code X.class.equals(p)}), and the parts of a {@code &&}
   * that is true or a {@code ||} that is false.
   */
  private static void test(
      ExpressionTree condition, MethodSymbol method, boolean holds, List<Condition> found) {
    ExpressionTree expression = ASTHelpers.stripParentheses(condition);
    switch (expression.getKind()) {
      case LOGICAL_COMPLEMENT -> test(((UnaryTree) expression).getExpression(), method, !holds, found);
      case CONDITIONAL_AND, CONDITIONAL_OR -> {
        boolean both = holds == (expression.getKind() == Tree.Kind.CONDITIONAL_AND);
        if (both) {
          BinaryTree parts = (BinaryTree) expression;
          test(parts.getLeftOperand(), method, holds, found);
          test(parts.getRightOperand(), method, holds, found);
        }
      }
      case EQUAL_TO, NOT_EQUAL_TO -> {
        BinaryTree comparison = (BinaryTree) expression;
        boolean equal = holds == (expression.getKind() == Tree.Kind.EQUAL_TO);
        Condition tested =
            comparedWith(comparison.getLeftOperand(), comparison.getRightOperand(), method);
        if (tested == null) {
          tested = comparedWith(comparison.getRightOperand(), comparison.getLeftOperand(), method);
        }
        if (tested != null) {
          found.add(tested.negated(!equal));
        }
      }
      case METHOD_INVOCATION -> {
        Condition equalsCall = classEquals((MethodInvocationTree) expression, method);
        if (equalsCall != null) {
          found.add(equalsCall.negated(!holds));
        }
      }
      case IDENTIFIER -> {
        int index = parameterIndex(expression, method);
        if (index >= 0 && method.getParameters().get(index).type.getTag() == TypeTag.BOOLEAN) {
          found.add(new Condition(index, Test.IS_TRUE, "", holds));
        }
      }
      default -> {}
    }
  }

  /** {@code parameter == constant}: null or a class literal. */
  private static @Nullable Condition comparedWith(
      ExpressionTree parameter, ExpressionTree constant, MethodSymbol method) {
    int index = parameterIndex(parameter, method);
    if (index < 0) {
      return null;
    }
    ExpressionTree other = ASTHelpers.stripParentheses(constant);
    if (other.getKind() == Tree.Kind.NULL_LITERAL) {
      return new Condition(index, Test.IS_NULL, "", true);
    }
    String literal = classLiteral(other);
    return literal == null ? null : new Condition(index, Test.IS_CLASS, literal, true);
  }

  /** {@code X.class.equals(p)} or {@code p.equals(X.class)}. */
  private static @Nullable Condition classEquals(MethodInvocationTree call, MethodSymbol method) {
    if (!(call.getMethodSelect() instanceof MemberSelectTree select)
        || !select.getIdentifier().contentEquals("equals")
        || call.getArguments().size() != 1) {
      return null;
    }
    ExpressionTree receiver = select.getExpression();
    ExpressionTree argument = call.getArguments().get(0);
    int index = parameterIndex(argument, method);
    String literal = classLiteral(ASTHelpers.stripParentheses(receiver));
    if (index < 0 || literal == null) {
      index = parameterIndex(receiver, method);
      literal = classLiteral(ASTHelpers.stripParentheses(argument));
    }
    return index < 0 || literal == null ? null : new Condition(index, Test.IS_CLASS, literal, true);
  }

  private static @Nullable String classLiteral(ExpressionTree tree) {
    if (tree instanceof MemberSelectTree select && select.getIdentifier().contentEquals("class")) {
      Type type = ASTHelpers.getType(select.getExpression());
      return type == null || type.tsym == null ? null : type.tsym.getQualifiedName().toString();
    }
    return null;
  }

  private static int parameterIndex(ExpressionTree tree, MethodSymbol method) {
    ExpressionTree expression = ASTHelpers.stripParentheses(tree);
    if (!(expression instanceof IdentifierTree)) {
      return -1;
    }
    Symbol symbol = ASTHelpers.getSymbol(expression);
    return symbol instanceof VarSymbol ? method.getParameters().indexOf(symbol) : -1;
  }

  /**
   * How the guard looks from the caller of {@code call}: ruled out ({@link #NEVER}) by a constant
   * argument that fails one of its conditions, gone (null) when the arguments meet or are unknown
   * for all of them, or the conditions on the caller's own parameters that it passes on.
   */
  public @Nullable ParameterGuard atCall(CallSite call) {
    Tree tree = call.site().tree();
    List<? extends ExpressionTree> arguments =
        tree instanceof MethodInvocationTree invocation
            ? invocation.getArguments()
            : tree instanceof NewClassTree creation ? creation.getArguments() : null;
    if (arguments == null) {
      return null;
    }
    if (isFailedBy(arguments)) {
      return NEVER;
    }
    Body caller = call.site().body();
    MethodSymbol callerMethod = caller.kind() == Body.Kind.METHOD ? caller.symbol() : null;
    List<Condition> passedOn = new ArrayList<>();
    for (Condition condition : conditions) {
      ExpressionTree argument = argumentFor(condition, arguments);
      if (argument == null || meets(argument, condition) != null || callerMethod == null) {
        continue;
      }
      int index = parameterIndex(argument, callerMethod);
      if (index >= 0 && !caller.assignsParameter(index)) {
        passedOn.add(new Condition(index, condition.test(), condition.className(), condition.required()));
      }
    }
    return passedOn.isEmpty() ? null : of(passedOn);
  }

  /** Whether a constant among {@code arguments} fails one of the conditions. */
  public boolean isFailedBy(List<? extends ExpressionTree> arguments) {
    for (Condition condition : conditions) {
      ExpressionTree argument = argumentFor(condition, arguments);
      if (argument != null && Boolean.FALSE.equals(meets(argument, condition))) {
        return true;
      }
    }
    return false;
  }

  /** The argument a condition tests; null past the arguments (varargs, another version's summary). */
  private static @Nullable ExpressionTree argumentFor(
      Condition condition, List<? extends ExpressionTree> arguments) {
    return condition.parameter() < arguments.size()
        ? ASTHelpers.stripParentheses(arguments.get(condition.parameter()))
        : null;
  }

  /** Whether a constant argument meets the condition, or null when the argument is not one. */
  private static @Nullable Boolean meets(ExpressionTree argument, Condition condition) {
    switch (condition.test()) {
      case IS_TRUE -> {
        return ASTHelpers.constValue(argument) instanceof Boolean value
            ? value == condition.required()
            : null;
      }
      case IS_NULL -> {
        Boolean isNull = nullness(argument);
        return isNull == null ? null : isNull == condition.required();
      }
      case IS_CLASS -> {
        String literal = classLiteral(argument);
        return literal == null ? null : literal.equals(condition.className()) == condition.required();
      }
    }
    return null;
  }

  /** True for {@code null}, false for what cannot be null (an object made there, a literal). */
  private static @Nullable Boolean nullness(ExpressionTree argument) {
    return switch (argument.getKind()) {
      case NULL_LITERAL -> true;
      case NEW_CLASS, NEW_ARRAY, STRING_LITERAL, LAMBDA_EXPRESSION, MEMBER_REFERENCE -> false;
      case MEMBER_SELECT -> classLiteral(argument) != null ? Boolean.FALSE : null;
      case IDENTIFIER -> ((IdentifierTree) argument).getName().contentEquals("this") ? Boolean.FALSE : null;
      default -> null;
    };
  }

  /**
   * The guard of what a callee does, guarded by {@code calleeGuard}, as the caller of {@code call}
   * sees it: {@link #NEVER} when the call's arguments rule it out, else what the caller's
   * parameters must be, for the callee's conditions and for the call itself to run.
   */
  public static @Nullable ParameterGuard through(
      CallSite call, @Nullable ParameterGuard calleeGuard) {
    ParameterGuard atCall = calleeGuard == null ? null : calleeGuard.atCall(call);
    if (atCall == NEVER) {
      return NEVER;
    }
    return atCall == null ? call.guard() : atCall.and(call.guard());
  }

  /** Both guards' conditions: what a call under {@code this} needs and what its callee needs. */
  public ParameterGuard and(@Nullable ParameterGuard more) {
    if (more == null || more.conditions.isEmpty() || more.equals(this)) {
      return this;
    }
    List<Condition> both = new ArrayList<>(conditions);
    for (Condition condition : more.conditions) {
      if (!both.contains(condition)) {
        both.add(condition);
      }
    }
    return of(both);
  }
}
