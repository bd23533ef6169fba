package dev.hangcheck.engine;

import com.google.common.collect.ImmutableSet;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.ModifiersTree;
import com.sun.source.tree.NewArrayTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The check names that {@code @SuppressWarnings} suppresses at a place: on the enclosing method,
 * field or variable, and on every enclosing class. Hangcheck reports from a whole-compilation
 * graph, so it reads suppressions itself instead of relying on the scanner's own.
 */
final class Suppressions {

  /** Per declaration: what it and the declarations around it suppress. */
  private final Map<Tree, ImmutableSet<String>> byDeclaration = new IdentityHashMap<>();

  ImmutableSet<String> of(TreePath path) {
    for (TreePath p = path; p != null; p = p.getParentPath()) {
      if (isDeclaration(p.getLeaf())) {
        return ofDeclaration(p);
      }
    }
    return ImmutableSet.of();
  }

  private ImmutableSet<String> ofDeclaration(TreePath declaration) {
    ImmutableSet<String> known = byDeclaration.get(declaration.getLeaf());
    if (known != null) {
      return known;
    }
    ImmutableSet<String> enclosing =
        declaration.getParentPath() == null ? ImmutableSet.of() : of(declaration.getParentPath());
    ImmutableSet<String> own = suppressedBy(declaration.getLeaf());
    ImmutableSet<String> all =
        own.isEmpty()
            ? enclosing
            : ImmutableSet.<String>builder().addAll(enclosing).addAll(own).build();
    byDeclaration.put(declaration.getLeaf(), all);
    return all;
  }

  private static boolean isDeclaration(Tree tree) {
    return tree instanceof MethodTree || tree instanceof ClassTree || tree instanceof VariableTree;
  }

  /**
   * The values of {@code @SuppressWarnings} on the declaration, read from the tree: cheaper than
   * the symbol's annotations, and it needs nothing but the source.
   */
  private static ImmutableSet<String> suppressedBy(Tree declaration) {
    ModifiersTree modifiers =
        declaration instanceof MethodTree
            ? ((MethodTree) declaration).getModifiers()
            : declaration instanceof ClassTree
                ? ((ClassTree) declaration).getModifiers()
                : ((VariableTree) declaration).getModifiers();
    if (modifiers == null || modifiers.getAnnotations().isEmpty()) {
      return ImmutableSet.of();
    }
    ImmutableSet.Builder<String> names = ImmutableSet.builder();
    for (AnnotationTree annotation : modifiers.getAnnotations()) {
      Tree type = annotation.getAnnotationType();
      boolean suppressWarnings =
          type instanceof IdentifierTree
              ? ((IdentifierTree) type).getName().contentEquals("SuppressWarnings")
              : type instanceof MemberSelectTree
                  && ((MemberSelectTree) type).getIdentifier().contentEquals("SuppressWarnings")
                  && type.toString().equals("java.lang.SuppressWarnings");
      if (!suppressWarnings) {
        continue;
      }
      for (ExpressionTree argument : annotation.getArguments()) {
        ExpressionTree value =
            argument instanceof AssignmentTree
                ? ((AssignmentTree) argument).getExpression()
                : argument;
        List<? extends ExpressionTree> elements =
            value instanceof NewArrayTree && ((NewArrayTree) value).getInitializers() != null
                ? ((NewArrayTree) value).getInitializers()
                : List.of(value);
        for (ExpressionTree element : elements) {
          Object constant = ASTHelpers.constValue(element);
          if (constant instanceof String) {
            names.add((String) constant);
          }
        }
      }
    }
    return names.build();
  }
}
