package dev.hangcheck.engine;

import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BindingPatternTree;
import com.sun.source.tree.CatchTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Flags;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Records, for one compilation unit, where values flow ({@link ValueFlow}): initializers,
 * assignments, arguments into parameters, returns into results, a method's parameters into its
 * overrides'; and which variables code outside the run fills (parameters of methods it may call
 * or that override its methods, lambda and catch parameters, loop variables, patterns).
 */
final class ValueFlowRecorder extends TreeScanner<Void, Void> {

  private final ValueFlow flow;
  private final Types types;
  private final Predicate<ClassSymbol> isSourceClass;
  /** The method a {@code return} gives its value to; null inside a lambda. */
  private final List<@Nullable MethodSymbol> returnsTo = new ArrayList<>();

  private ValueFlowRecorder(ValueFlow flow, Types types, Predicate<ClassSymbol> isSourceClass) {
    this.flow = flow;
    this.types = types;
    this.isSourceClass = isSourceClass;
  }

  static void record(
      com.sun.source.tree.CompilationUnitTree unit,
      ValueFlow flow,
      Types types,
      Predicate<ClassSymbol> isSourceClass) {
    new ValueFlowRecorder(flow, types, isSourceClass).scan(unit, null);
  }

  @Override
  public Void visitClass(ClassTree tree, Void unused) {
    return returningTo(null, () -> super.visitClass(tree, null));
  }

  /** Scans code whose {@code return}s give their value to {@code method} (none: null). */
  private Void returningTo(@Nullable MethodSymbol method, Supplier<Void> scan) {
    returnsTo.add(method);
    try {
      return scan.get();
    } finally {
      returnsTo.remove(returnsTo.size() - 1);
    }
  }

  @Override
  public Void visitMethod(MethodTree tree, Void unused) {
    MethodSymbol method = ASTHelpers.getSymbol(tree);
    if (method != null) {
      boolean fromElsewhere = mayBeCalledFromElsewhere(method);
      boolean mayOverride =
          !method.isStatic()
              && !method.isConstructor()
              && (method.flags() & Flags.PRIVATE) == 0
              && (!method.getParameters().isEmpty() || !method.getReturnType().isPrimitiveOrVoid());
      for (MethodSymbol overridden :
          mayOverride ? ASTHelpers.findSuperMethods(method, types) : List.<MethodSymbol>of()) {
        if (!isSourceClass.test(overridden.enclClass())) {
          fromElsewhere = true; // a library calls it, with its own arguments
          continue;
        }
        int count = Math.min(overridden.getParameters().size(), method.getParameters().size());
        for (int i = 0; i < count; i++) {
          flow.sameAs(overridden.getParameters().get(i), method.getParameters().get(i));
        }
        flow.resultsAlso(method, overridden);
      }
      if (fromElsewhere) {
        method.getParameters().forEach(flow::fromElsewhere);
      }
    }
    return returningTo(method, () -> super.visitMethod(tree, null));
  }

  @Override
  public Void visitLambdaExpression(LambdaExpressionTree tree, Void unused) {
    for (VariableTree parameter : tree.getParameters()) {
      flow.fromElsewhere(ASTHelpers.getSymbol(parameter));
    }
    return returningTo(null, () -> super.visitLambdaExpression(tree, null));
  }

  @Override
  public Void visitReturn(ReturnTree tree, Void unused) {
    MethodSymbol method = returnsTo.isEmpty() ? null : returnsTo.get(returnsTo.size() - 1);
    if (method != null) {
      flow.returned(tree.getExpression(), method);
    }
    return super.visitReturn(tree, null);
  }

  @Override
  public Void visitVariable(VariableTree tree, Void unused) {
    VarSymbol variable = ASTHelpers.getSymbol(tree);
    if (variable != null) {
      if (tree.getInitializer() != null) {
        flow.flowsInto(tree.getInitializer(), variable);
      }
      if (variable.getKind().isField() && writableFromElsewhere(variable)) {
        flow.fromElsewhere(variable);
      }
    }
    return super.visitVariable(tree, null);
  }

  @Override
  public Void visitAssignment(AssignmentTree tree, Void unused) {
    Symbol variable = ASTHelpers.getSymbol(tree.getVariable());
    flow.flowsInto(tree.getExpression(), variable);
    return super.visitAssignment(tree, null);
  }

  @Override
  public Void visitMethodInvocation(MethodInvocationTree tree, Void unused) {
    passArguments(ASTHelpers.getSymbol(tree), tree.getArguments());
    return super.visitMethodInvocation(tree, null);
  }

  @Override
  public Void visitNewClass(NewClassTree tree, Void unused) {
    passArguments(ASTHelpers.getSymbol(tree), tree.getArguments());
    return super.visitNewClass(tree, null);
  }

  @Override
  public Void visitMemberReference(MemberReferenceTree tree, Void unused) {
    // Whoever runs the reference passes its own arguments.
    Symbol target = ASTHelpers.getSymbol(tree);
    if (target instanceof MethodSymbol method) {
      method.getParameters().forEach(flow::fromElsewhere);
    }
    return super.visitMemberReference(tree, null);
  }

  @Override
  public Void visitEnhancedForLoop(EnhancedForLoopTree tree, Void unused) {
    flow.fromElsewhere(ASTHelpers.getSymbol(tree.getVariable()));
    return super.visitEnhancedForLoop(tree, null);
  }

  @Override
  public Void visitCatch(CatchTree tree, Void unused) {
    flow.fromElsewhere(ASTHelpers.getSymbol(tree.getParameter()));
    return super.visitCatch(tree, null);
  }

  @Override
  public Void visitBindingPattern(BindingPatternTree tree, Void unused) {
    flow.fromElsewhere(ASTHelpers.getSymbol(tree.getVariable()));
    return super.visitBindingPattern(tree, null);
  }

  private void passArguments(
      @Nullable MethodSymbol callee, List<? extends ExpressionTree> arguments) {
    if (callee == null || !isSourceClass.test(callee.enclClass())) {
      return;
    }
    List<VarSymbol> parameters = callee.getParameters();
    int count = Math.min(arguments.size(), parameters.size());
    if (callee.isVarArgs()) {
      count = Math.min(count, parameters.size() - 1); // the array, not its elements
    }
    for (int i = 0; i < count; i++) {
      flow.flowsInto(arguments.get(i), parameters.get(i));
    }
  }

  /**
   * Code outside this run may call it: public, in a visible class. A protected method is left to
   * the run's own code: only a subclass written elsewhere could call it with other arguments.
   */
  private static boolean mayBeCalledFromElsewhere(MethodSymbol method) {
    return (method.flags() & Flags.PUBLIC) != 0 && visibleOutside(method.enclClass());
  }

  /** Code outside this run may store into it: a public field that is not final. */
  private static boolean writableFromElsewhere(VarSymbol field) {
    return (field.flags() & Flags.FINAL) == 0
        && (field.flags() & Flags.PUBLIC) != 0
        && field.owner instanceof ClassSymbol owner
        && visibleOutside(owner);
  }

  private static boolean visibleOutside(ClassSymbol cls) {
    for (Symbol enclosing = cls; enclosing instanceof ClassSymbol c; enclosing = c.owner) {
      if (c.isAnonymous()
          || c.owner instanceof MethodSymbol
          || c.owner instanceof VarSymbol
          || (c.flags() & Flags.PRIVATE) != 0) {
        return false;
      }
    }
    return true;
  }
}
