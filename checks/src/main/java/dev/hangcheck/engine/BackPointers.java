package dev.hangcheck.engine;

import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Types;
import com.sun.tools.javac.tree.JCTree;
import com.sun.tools.javac.tree.TreeInfo;
import dev.hangcheck.locks.FieldAliases;
import dev.hangcheck.locks.Names;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Back-pointers: {@code x.child.parent} is {@code x} when every value {@code child} is ever given
 * is {@code new Child(..., this, ...)} made by {@code x} itself (or null), and {@code
 * Child.parent} is only ever set, in its constructors, to that argument. A statement that closes
 * its result set, which closes "its statement", then locks the statement already held, not some
 * other one.
 */
final class BackPointers implements FieldAliases {

  /** {@code storedParameter} when the constructor leaves the field unset (null). */
  private static final int NOT_SET = -1;
  /** {@code storedParameter} when the field may get anything else. */
  private static final int UNKNOWN = -2;

  private record Allocation(NewClassTree tree, ClassSymbol inClass) {}

  private final SourceIndex index;
  private final Types types;
  private final Map<String, VarSymbol> fieldsByKey = new HashMap<>();
  /** For each field, the {@code new} objects this object assigns it. */
  private final Map<VarSymbol, List<Allocation>> allocatedOnThis = new IdentityHashMap<>();
  /** For each field, which parameter each constructor of its class stores in it. */
  private final Map<VarSymbol, Map<MethodSymbol, Integer>> storedByConstructors =
      new IdentityHashMap<>();
  /** Fields given some other value somewhere: neither side of a back-pointer. */
  private final Set<VarSymbol> writtenOtherwise = new HashSet<>();
  private final Map<String, Map<String, Boolean>> answers = new HashMap<>();
  /** The keys of fields assigned {@code new} objects on this: the only candidates for children. */
  private @Nullable Set<String> childKeys;
  /** The keys of the fields {@link #isConstructorArgument} holds for, made on the first question. */
  private @Nullable Set<String> constructorArguments;

  BackPointers(SourceIndex index, Types types) {
    this.index = index;
    this.types = types;
  }

  void written(
      VarSymbol field,
      ExpressionTree value,
      boolean onThis,
      @Nullable MethodSymbol method,
      @Nullable ClassSymbol inClass) {
    if (field.isStatic() || writtenOtherwise.contains(field)) {
      return;
    }
    ExpressionTree plain = strip(value);
    if (plain.getKind() == Tree.Kind.NULL_LITERAL) {
      return;
    }
    boolean own = onThis && inClass != null && inClass.isSubClass(field.owner, types);
    if (own && plain instanceof NewClassTree newObject) {
      allocatedOnThis.computeIfAbsent(field, k -> new ArrayList<>()).add(new Allocation(newObject, inClass));
    }
    int parameter =
        own && method != null && method.isConstructor() && method.owner == field.owner
            ? parameterIndex(method, plain)
            : UNKNOWN;
    if (parameter >= 0) {
      Integer before = storedByConstructors.computeIfAbsent(field, k -> new IdentityHashMap<>()).put(method, parameter);
      if (before == null || before == parameter) {
        return;
      }
    }
    if (!(own && plain instanceof NewClassTree)) {
      writtenOtherwise.add(field);
    }
  }

  @Override
  public boolean isBackPointer(String field, String next) {
    if (childKeys == null) {
      // Keys only for the fields that can be either side, made on the first question.
      childKeys = new HashSet<>();
      allocatedOnThis.keySet().forEach(f -> fieldsByKey.put(key(f), f));
      allocatedOnThis.keySet().forEach(f -> childKeys.add(key(f)));
      storedByConstructors.keySet().forEach(f -> fieldsByKey.put(key(f), f));
    }
    if (!childKeys.contains(field)) {
      return false;
    }
    return answers
        .computeIfAbsent(field, k -> new HashMap<>())
        .computeIfAbsent(next, k -> compute(field, next));
  }

  @Override
  public boolean isConstructorArgument(String field) {
    if (constructorArguments == null) {
      constructorArguments = new HashSet<>();
      for (VarSymbol stored : storedByConstructors.keySet()) {
        if (!writtenOtherwise.contains(stored) && !allocatedOnThis.containsKey(stored)) {
          constructorArguments.add(key(stored));
        }
      }
    }
    return constructorArguments.contains(field);
  }

  private boolean compute(String childKey, String parentKey) {
    VarSymbol child = fieldsByKey.get(childKey);
    VarSymbol parent = fieldsByKey.get(parentKey);
    if (child == null
        || parent == null
        || writtenOtherwise.contains(child)
        || writtenOtherwise.contains(parent)
        || storedByConstructors.containsKey(child)
        || allocatedOnThis.containsKey(parent)
        || !storedByConstructors.containsKey(parent)) {
      return false;
    }
    List<Allocation> allocations = allocatedOnThis.get(child);
    if (allocations == null) {
      return false;
    }
    for (Allocation allocation : allocations) {
      JCTree.JCNewClass tree = (JCTree.JCNewClass) allocation.tree();
      if (tree.def != null || !(tree.constructor instanceof MethodSymbol constructor)) {
        return false;
      }
      int stored = storedParameter(constructor, parent, 0);
      if (stored == UNKNOWN
          || (stored >= 0
              && !(stored < tree.getArguments().size()
                  && isThis(tree.getArguments().get(stored))))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Which parameter of {@code constructor} ends up in {@code field}, following {@code this(...)}
   * and {@code super(...)}.
   */
  private int storedParameter(MethodSymbol constructor, VarSymbol field, int depth) {
    Integer own = storedByConstructors.get(field).get(constructor);
    if (own != null) {
      return own;
    }
    ClassSymbol cls = constructor.enclClass();
    if (!cls.isSubClass(field.owner, types)) {
      return NOT_SET; // a constructor above the field's class cannot set it
    }
    TreePath path = index.methodPath(constructor);
    if (path == null || depth > 8) {
      return UNKNOWN;
    }
    MethodInvocationTree delegation = constructorCall((MethodTree) path.getLeaf());
    if (delegation == null) {
      return NOT_SET;
    }
    Symbol delegate = TreeInfo.symbol((JCTree) delegation.getMethodSelect());
    if (!(delegate instanceof MethodSymbol target)) {
      return UNKNOWN;
    }
    int passed = storedParameter(target, field, depth + 1);
    if (passed < 0) {
      return passed;
    }
    return passed < delegation.getArguments().size()
        ? parameterIndex(constructor, strip(delegation.getArguments().get(passed)))
        : UNKNOWN;
  }

  private static @Nullable MethodInvocationTree constructorCall(MethodTree constructor) {
    if (constructor.getBody() == null || constructor.getBody().getStatements().isEmpty()) {
      return null;
    }
    StatementTree first = constructor.getBody().getStatements().get(0);
    if (first instanceof ExpressionStatementTree statement
        && statement.getExpression() instanceof MethodInvocationTree call
        && call.getMethodSelect() instanceof IdentifierTree name
        && (name.getName().contentEquals("this") || name.getName().contentEquals("super"))) {
      return call;
    }
    return null;
  }

  private static int parameterIndex(MethodSymbol method, ExpressionTree value) {
    if (!(value instanceof IdentifierTree)) {
      return UNKNOWN;
    }
    Symbol symbol = TreeInfo.symbol((JCTree) value);
    int index = symbol == null ? -1 : method.getParameters().indexOf(symbol);
    return index >= 0 ? index : UNKNOWN;
  }

  private static boolean isThis(ExpressionTree argument) {
    return strip(argument) instanceof IdentifierTree identifier
        && identifier.getName().contentEquals("this");
  }

  private static ExpressionTree strip(ExpressionTree tree) {
    return ASTHelpers.stripParentheses(tree);
  }

  private static String key(VarSymbol field) {
    return Names.classKey((ClassSymbol) field.owner) + "#" + field.getSimpleName();
  }
}
