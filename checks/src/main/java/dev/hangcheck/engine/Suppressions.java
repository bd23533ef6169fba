package dev.hangcheck.engine;

import com.google.common.collect.ImmutableSet;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.code.Symbol;

/**
 * The check names that {@code @SuppressWarnings} suppresses at a place: on the enclosing method,
 * field or variable, and on every enclosing class. Hangcheck reports from a whole-compilation
 * graph, so it reads suppressions itself instead of relying on the scanner's own.
 */
final class Suppressions {

  private Suppressions() {}

  static ImmutableSet<String> of(TreePath path) {
    ImmutableSet.Builder<String> names = ImmutableSet.builder();
    for (TreePath p = path; p != null; p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      if (leaf instanceof MethodTree || leaf instanceof ClassTree || leaf instanceof VariableTree) {
        Symbol symbol = ASTHelpers.getSymbol(leaf);
        SuppressWarnings annotation = symbol == null ? null : symbol.getAnnotation(SuppressWarnings.class);
        if (annotation != null) {
          names.add(annotation.value());
        }
      }
    }
    return names.build();
  }
}
