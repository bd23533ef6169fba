package dev.hangcheck.engine;

import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.TypeCastTree;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.TypeSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.code.TypeTag;
import com.sun.tools.javac.code.Types;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Which objects a value may be, by where the code got it (variable type analysis): classes flow
 * from {@code new} expressions through variables, fields, parameters and returns. A field, a
 * parameter or a method's result is one node whatever object it belongs to; a value that comes
 * from code outside this run (a library's result, a parameter of a method other code may call, an
 * array element) may be any object of its static type. Built once over all code, solved on the
 * first question, each node's answer bounded in size.
 */
final class ValueFlow {

  /**
   * What a value may be: an object of one of {@code exact}, or of a class instantiated in this run
   * below one of {@code below} (this object, known by its class; an object handed in by code
   * outside the run).
   */
  record Values(Set<ClassSymbol> exact, Set<TypeSymbol> below) {}

  /** A node whose answer would name more than this many classes and types knows nothing. */
  static final int MAX_KINDS = 24;

  private static final class Node {
    final @Nullable TypeSymbol declared;
    Set<ClassSymbol> exact = Set.of();
    Set<TypeSymbol> below = Set.of();
    boolean unknown;
    /** Whether any value was seen to flow in: a variable nothing writes is filled by no code here. */
    boolean written;
    List<Node> successors = List.of();
    boolean queued;

    Node(@Nullable TypeSymbol declared) {
      this.declared = declared;
    }

    int size() {
      return exact.size() + below.size();
    }

    void addExact(ClassSymbol cls) {
      if (exact.isEmpty()) {
        exact = new LinkedHashSet<>(2);
      }
      exact.add(cls);
    }

    void addBelow(TypeSymbol type) {
      if (below.isEmpty()) {
        below = new LinkedHashSet<>(2);
      }
      below.add(type);
    }

    void addSuccessor(Node successor) {
      if (successors.isEmpty()) {
        successors = new ArrayList<>(2);
      }
      successors.add(successor);
    }
  }

  private final Types types;
  private final Predicate<ClassSymbol> isSourceClass;
  /** Variables of other types hold no object a call of the run dispatches on: no node. */
  private final Predicate<TypeSymbol> mayHoldAnInstantiatedClass;
  private final Map<Symbol, Node> variables = new IdentityHashMap<>();
  private final Map<MethodSymbol, Node> results = new IdentityHashMap<>();
  private final Deque<Node> seeded = new ArrayDeque<>();
  private boolean solved;
  private boolean incomplete;

  /** Some code could not be recorded: no answer can be trusted to be complete. */
  void markIncomplete() {
    incomplete = true;
  }

  ValueFlow(
      Types types,
      Predicate<ClassSymbol> isSourceClass,
      Predicate<TypeSymbol> mayHoldAnInstantiatedClass) {
    this.types = types;
    this.isSourceClass = isSourceClass;
    this.mayHoldAnInstantiatedClass = mayHoldAnInstantiatedClass;
  }

  // ---- recording ----

  /** {@code value} is stored in {@code variable} (an initializer, an assignment, an argument). */
  void flowsInto(@Nullable ExpressionTree value, @Nullable Symbol variable) {
    Node target = variableNode(variable);
    if (target != null && value != null) {
      target.written = true;
      collect(value, target, true);
    }
  }

  /** {@code value} is what {@code method} returns. */
  void returned(@Nullable ExpressionTree value, @Nullable MethodSymbol method) {
    Node target = resultNode(method);
    if (target != null && value != null) {
      target.written = true;
      collect(value, target, true);
    }
  }

  /** {@code variable} may hold any object of its type, handed in by code outside this run. */
  void fromElsewhere(@Nullable Symbol variable) {
    Node target = variableNode(variable);
    if (target != null && target.declared != null) {
      seed(target, n -> n.addBelow(target.declared));
    }
  }

  /** What {@code from} holds, {@code to} holds too (a parameter of an overridden method). */
  void sameAs(@Nullable Symbol from, @Nullable Symbol to) {
    Node target = variableNode(to);
    if (target != null && from != null) {
      edgeOrAnyOf(variableNode(from), from.type, target);
    }
  }

  /** What an override returns is what the method it overrides returns. */
  void resultsAlso(MethodSymbol override, MethodSymbol overridden) {
    Node target = resultNode(overridden);
    if (target != null) {
      edgeOrAnyOf(resultNode(override), override.getReturnType(), target);
    }
  }

  /**
   * An edge from {@code source}; where it has no node because its type is {@code Object} (a
   * generic parameter erased), what it passes on is not followed, so {@code target} may hold
   * anything of its own type. A type no instantiated class is below passes on nothing.
   */
  private void edgeOrAnyOf(@Nullable Node source, @Nullable Type sourceType, Node target) {
    if (source != null) {
      edge(source, target);
    } else if (holdsObjects(sourceType)
        && target.declared != null
        && types.erasure(sourceType).tsym.getQualifiedName().contentEquals("java.lang.Object")) {
      seed(target, n -> n.addBelow(target.declared));
    }
  }

  // ---- questions ----

  /** What {@code value} may be, or null when the code does not say. */
  @Nullable Values of(ExpressionTree value) {
    if (incomplete) {
      return null;
    }
    solve();
    Node answer = new Node(null);
    collect(value, answer, false);
    if (answer.unknown) {
      return null;
    }
    return new Values(
        Collections.unmodifiableSet(answer.exact), Collections.unmodifiableSet(answer.below));
  }

  // ---- the graph ----

  /**
   * Adds what {@code value} may be to {@code target}: as an edge from each node it reads
   * ({@code record}), or as that node's present answer (a question, after solving).
   */
  private void collect(ExpressionTree value, Node target, boolean record) {
    ExpressionTree expression = ASTHelpers.stripParentheses(value);
    switch (expression.getKind()) {
      case NULL_LITERAL, LAMBDA_EXPRESSION, MEMBER_REFERENCE:
        return; // no object of a class of this run (lambdas are not followed)
      case TYPE_CAST:
        collect(((TypeCastTree) expression).getExpression(), target, record);
        return;
      case CONDITIONAL_EXPRESSION:
        ConditionalExpressionTree conditional = (ConditionalExpressionTree) expression;
        collect(conditional.getTrueExpression(), target, record);
        collect(conditional.getFalseExpression(), target, record);
        return;
      case ASSIGNMENT:
        collect(((AssignmentTree) expression).getExpression(), target, record);
        return;
      case NEW_CLASS:
        ClassSymbol made = RootFinder.allocatedClass(expression);
        if (made != null) {
          add(target, n -> n.addExact(made), record);
        } else {
          add(target, n -> n.unknown = true, record);
        }
        return;
      case IDENTIFIER, MEMBER_SELECT:
        Symbol symbol = ASTHelpers.getSymbol(expression);
        if (symbol instanceof VarSymbol) {
          if (symbol.name.contentEquals("this") || symbol.name.contentEquals("super")) {
            TypeSymbol own = symbol.type == null ? null : types.erasure(symbol.type).tsym;
            add(target, n -> addBelowOrUnknown(own, n), record);
            return;
          }
          Node read = variableNode(symbol);
          if (read != null) {
            read(read, target, record);
            return;
          }
        }
        if (symbol instanceof TypeSymbol) {
          return; // Outer.this is a member select with a VarSymbol; a type name is no value
        }
        break;
      case METHOD_INVOCATION:
        MethodSymbol method = ASTHelpers.getSymbol((MethodInvocationTree) expression);
        if (method != null && passesOnItsArgument(method)) {
          collect(((MethodInvocationTree) expression).getArguments().get(0), target, record);
          return;
        }
        if (method != null && isSourceClass.test(method.enclClass())) {
          Node result = resultNode(method);
          if (result != null) {
            read(result, target, record);
            return;
          }
        }
        break;
      default:
        break;
    }
    Type type = ASTHelpers.getType(expression);
    if (type == null || type.isErroneous()) {
      add(target, n -> n.unknown = true, record);
    } else if (!type.isPrimitive() && type.getTag() != TypeTag.ARRAY) {
      TypeSymbol erased = types.erasure(type).tsym;
      add(target, n -> addBelowOrUnknown(erased, n), record);
    }
  }

  /** {@code Objects.requireNonNull(x)} and its kin return the object they were given. */
  private static boolean passesOnItsArgument(MethodSymbol method) {
    if (!method.isStatic() || method.getParameters().isEmpty()) {
      return false;
    }
    String owner = method.enclClass().getQualifiedName().toString();
    String name = method.name.toString();
    return (owner.equals("java.util.Objects") && name.equals("requireNonNull"))
        || (owner.equals("com.google.common.base.Preconditions") && name.equals("checkNotNull"));
  }

  private void read(Node source, Node target, boolean record) {
    if (record) {
      edge(source, target);
    } else {
      mergeInto(source, target);
    }
  }

  private interface Seed {
    void apply(Node node);
  }

  private void add(Node target, Seed seed, boolean record) {
    if (record) {
      seed(target, seed);
    } else {
      seed.apply(target);
    }
  }

  private void seed(Node target, Seed seed) {
    target.written = true;
    seed.apply(target);
    bound(target);
    if (!target.queued) {
      target.queued = true;
      seeded.add(target);
    }
    solved = false;
  }

  private static void addBelowOrUnknown(@Nullable TypeSymbol type, Node node) {
    if (type == null) {
      node.unknown = true;
    } else {
      node.addBelow(type);
    }
  }

  private void edge(@Nullable Node from, @Nullable Node to) {
    if (from != null && to != null && from != to) {
      to.written = true;
      from.addSuccessor(to);
      if (!from.queued) {
        from.queued = true;
        seeded.add(from);
      }
      solved = false;
    }
  }

  private @Nullable Node variableNode(@Nullable Symbol variable) {
    if (!(variable instanceof VarSymbol) || !holdsObjects(variable.type)) {
      return null;
    }
    TypeSymbol declared = types.erasure(variable.type).tsym;
    if (!mayHoldAnInstantiatedClass.test(declared)) {
      return null;
    }
    return variables.computeIfAbsent(variable, v -> new Node(declared));
  }

  private @Nullable Node resultNode(@Nullable MethodSymbol method) {
    if (method == null || !holdsObjects(method.getReturnType())) {
      return null;
    }
    TypeSymbol declared = types.erasure(method.getReturnType()).tsym;
    if (!mayHoldAnInstantiatedClass.test(declared)) {
      return null;
    }
    return results.computeIfAbsent(method, m -> new Node(declared));
  }

  private static boolean holdsObjects(@Nullable Type type) {
    return type != null
        && !type.isErroneous()
        && !type.isPrimitive()
        && type.getTag() != TypeTag.VOID
        && type.getTag() != TypeTag.ARRAY;
  }

  // ---- solving ----

  private void solve() {
    if (solved) {
      return;
    }
    solved = true;
    Deque<Node> work = seeded;
    while (!work.isEmpty()) {
      Node node = work.poll();
      node.queued = false;
      for (Node successor : node.successors) {
        if (mergeInto(node, successor) && !successor.queued) {
          successor.queued = true;
          work.add(successor);
        }
      }
    }
  }

  /** Adds what {@code from} may be to {@code to}, as {@code to}'s type allows; whether it grew. */
  private boolean mergeInto(Node from, Node to) {
    if (to.unknown) {
      return false;
    }
    if (from.unknown || !from.written) {
      to.unknown = true;
      clear(to);
      return true;
    }
    int before = to.size();
    for (ClassSymbol cls : from.exact) {
      if (to.declared == null || isSubtype(cls, to.declared)) {
        to.addExact(cls);
      }
    }
    for (TypeSymbol type : from.below) {
      to.addBelow(narrowed(type, to.declared));
    }
    bound(to);
    return to.unknown || to.size() != before;
  }

  /** Of two related types, the narrower: what a node of type {@code declared} can hold. */
  private TypeSymbol narrowed(TypeSymbol type, @Nullable TypeSymbol declared) {
    if (declared == null || isSubtype(type, declared)) {
      return type;
    }
    return isSubtype(declared, type) ? declared : type;
  }

  private boolean isSubtype(TypeSymbol sub, TypeSymbol sup) {
    return sub == sup || sub.isSubClass(sup, types);
  }

  private static void bound(Node node) {
    if (node.size() > MAX_KINDS) {
      node.unknown = true;
      clear(node);
    }
  }

  private static void clear(Node node) {
    node.exact = Set.of();
    node.below = Set.of();
  }

}
