package dev.hangcheck.engine;

import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What a method (or initializer) does with its local variables and parameters: which it assigns
 * after their declaration, and what each is initialised with. Computed only when a lock
 * expression names a local, which few methods do.
 */
final class LocalVariables extends TreeScanner<Void, Void> {

  private final Set<VarSymbol> assigned = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Map<VarSymbol, List<Tree>> assignments = new IdentityHashMap<>();
  private final Tree code;
  private @Nullable ReachingAssignments reaching;

  private LocalVariables(Tree code) {
    this.code = code;
  }
  private final Map<VarSymbol, ExpressionTree> initializers = new IdentityHashMap<>();

  static LocalVariables in(Tree code) {
    LocalVariables scanner = new LocalVariables(code);
    scanner.scan(code, null);
    return scanner;
  }

  boolean isReassigned(VarSymbol variable) {
    return assigned.contains(variable);
  }

  /** Whether some assignment to {@code variable} may have run before {@code use}. */
  boolean isReassignedBefore(VarSymbol variable, Tree use) {
    List<Tree> writes = assignments.get(variable);
    if (writes == null) {
      return false;
    }
    if (reaching == null) {
      reaching = new ReachingAssignments(code);
    }
    for (Tree write : writes) {
      if (reaching.reaches(write, use)) {
        return true;
      }
    }
    return false;
  }

  @Nullable ExpressionTree initializer(VarSymbol variable) {
    return initializers.get(variable);
  }

  @Override
  public Void visitVariable(VariableTree tree, Void unused) {
    VarSymbol local = ASTHelpers.getSymbol(tree);
    if (tree.getInitializer() != null && local != null && !(local.owner instanceof ClassSymbol)) {
      initializers.put(local, tree.getInitializer());
    }
    return super.visitVariable(tree, null);
  }

  @Override
  public Void visitClass(ClassTree tree, Void unused) {
    return null; // a local class's variables belong to its own methods
  }

  @Override
  public Void visitAssignment(AssignmentTree tree, Void unused) {
    note(tree.getVariable(), tree);
    return super.visitAssignment(tree, null);
  }

  @Override
  public Void visitCompoundAssignment(CompoundAssignmentTree tree, Void unused) {
    note(tree.getVariable(), tree);
    return super.visitCompoundAssignment(tree, null);
  }

  @Override
  public Void visitUnary(UnaryTree tree, Void unused) {
    switch (tree.getKind()) {
      case PREFIX_INCREMENT, PREFIX_DECREMENT, POSTFIX_INCREMENT, POSTFIX_DECREMENT ->
          note(tree.getExpression(), tree);
      default -> {}
    }
    return super.visitUnary(tree, null);
  }

  private void note(ExpressionTree variable, Tree write) {
    if (variable instanceof IdentifierTree) {
      Symbol symbol = ASTHelpers.getSymbol(variable);
      if (symbol instanceof VarSymbol && !(symbol.owner instanceof ClassSymbol)) {
        assigned.add((VarSymbol) symbol);
        assignments.computeIfAbsent((VarSymbol) symbol, k -> new ArrayList<>()).add(write);
      }
    }
  }
}
