package dev.hangcheck.engine;

import static com.google.errorprone.matchers.method.MethodMatchers.instanceMethod;

import com.google.common.collect.ImmutableSet;
import com.google.errorprone.VisitorState;
import com.google.errorprone.matchers.Matcher;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TypeCastTree;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.tree.JCTree;
import com.sun.tools.javac.tree.TreeInfo;
import dev.hangcheck.locks.LockId;
import dev.hangcheck.locks.LockName;
import dev.hangcheck.locks.Names;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.function.Predicate;
import javax.lang.model.element.ElementKind;
import org.jspecify.annotations.Nullable;

/**
 * Names the lock an expression denotes, relative to the method it is evaluated in: a path from
 * {@code this} or a parameter, a global, an object the method allocated, or (honestly) something
 * it cannot follow, known by its class at most. Getters compiled in the run are seen through: a
 * method whose body returns a lock path names that path, rewritten for the receiver.
 */
public final class LockResolver {

  private static final Matcher<ExpressionTree> READ_WRITE_VIEW =
      instanceMethod()
          .onDescendantOf("java.util.concurrent.locks.ReadWriteLock")
          .namedAnyOf("readLock", "writeLock");

  /** How many initialisers and getters to follow ({@code a = b; b = c; ...}) before giving up. */
  private static final int MAX_DEPTH = 8;

  /** The source text of a lock expression, for messages. */
  public static String sourceText(ExpressionTree expression) {
    String text = skipParensAndCasts(expression).toString();
    return text.length() <= 60 ? text : text.substring(0, 57) + "...";
  }

  private final SourceIndex index;
  private final VisitorState state;
  private final ClassSymbol enclosingClass;
  private final @Nullable MethodSymbol method;
  private final Predicate<VarSymbol> isReassigned;
  private final BiPredicate<VarSymbol, Tree> isReassignedBefore;
  private final Function<VarSymbol, @Nullable ExpressionTree> localInitializer;

  /**
   * @param method the method whose parameters are roots of names; null in initializers and
   *     lambdas, where no parameter is one
   * @param isReassigned whether a local variable or parameter is assigned after its declaration.
   *     Not javac's EFFECTIVELY_FINAL flag: flow analysis sets it, and Hangcheck reads units that
   *     javac has attributed but not yet flowed.
   */
  LockResolver(
      SourceIndex index,
      VisitorState state,
      ClassSymbol enclosingClass,
      @Nullable MethodSymbol method,
      Predicate<VarSymbol> isReassigned,
      BiPredicate<VarSymbol, Tree> isReassignedBefore,
      Function<VarSymbol, @Nullable ExpressionTree> localInitializer) {
    this.index = index;
    this.state = state;
    this.enclosingClass = enclosingClass;
    this.method = method;
    this.isReassigned = isReassigned;
    this.isReassignedBefore = isReassignedBefore;
    this.localInitializer = localInitializer;
  }

  /** The lock of {@code this} inside {@code cls}: what its synchronized instance methods take. */
  public static LockName thisMonitor(ClassSymbol cls) {
    return LockName.thisObject(LockId.object(cls), "this");
  }

  /** {@code Outer.this} inside {@code inner}: a hidden field of this object. */
  static LockName enclosingInstance(ClassSymbol inner, ClassSymbol outer, String text) {
    return thisMonitor(inner).select("this$" + outer.getSimpleName(), LockId.object(outer), text);
  }

  /** The lock of {@code cls.class}: what its static synchronized methods take. */
  public static LockName classMonitor(ClassSymbol cls) {
    String display = Names.classDisplay(cls);
    return LockName.global(LockId.classMonitor(Names.classKey(cls), display), display + ".class");
  }

  public LockName resolve(ExpressionTree expression) {
    return resolve(expression, 0);
  }

  private LockName resolve(ExpressionTree expression, int depth) {
    ExpressionTree tree = skipParensAndCasts(expression);
    String text = sourceText(tree);
    Type type = ASTHelpers.getType(tree);
    Symbol symbol = TreeInfo.symbol((JCTree) tree);
    if (depth > MAX_DEPTH) {
      return LockName.unknown(familyOfType(type), text);
    }
    if (tree.getKind() == Tree.Kind.NULL_LITERAL) {
      return LockName.nullReference();
    }
    if (type != null && type.isPrimitive()) {
      // Passed where an object is wanted, a primitive is boxed: an object of its box class only.
      ClassSymbol boxed = state.getTypes().boxedClass(type);
      return LockName.unknown(boxed == null ? null : LockId.object(boxed), text);
    }
    if (tree instanceof IdentifierTree) {
      if (((IdentifierTree) tree).getName().contentEquals("this")) {
        return thisMonitor(enclosingClass);
      }
      if (symbol instanceof VarSymbol) {
        return resolveVariable((VarSymbol) symbol, null, tree, type, text, depth);
      }
      return LockName.unknown(familyOfType(type), text);
    }
    if (tree instanceof MemberSelectTree) {
      MemberSelectTree select = (MemberSelectTree) tree;
      if (select.getIdentifier().contentEquals("class")) {
        Symbol.TypeSymbol target = typeSymbolOf(select.getExpression());
        return target instanceof ClassSymbol
            ? classMonitor((ClassSymbol) target)
            : LockName.unknown(null, text);
      }
      if (select.getIdentifier().contentEquals("this")) {
        Symbol.TypeSymbol outer = typeSymbolOf(select.getExpression());
        if (outer == enclosingClass) {
          return thisMonitor(enclosingClass);
        }
        return outer instanceof ClassSymbol
            ? enclosingInstance(enclosingClass, (ClassSymbol) outer, text)
            : LockName.unknown(null, text);
      }
      if (symbol instanceof VarSymbol) {
        return resolveVariable((VarSymbol) symbol, select.getExpression(), tree, type, text, depth);
      }
      return LockName.unknown(familyOfType(type), text);
    }
    if (tree instanceof ConditionalExpressionTree) {
      // cond ? a : b: one of two locks. Unnamed, but either may be the one held (for reentrancy).
      ConditionalExpressionTree conditional = (ConditionalExpressionTree) tree;
      LockName whenTrue = resolve(conditional.getTrueExpression(), depth + 1);
      LockName whenFalse = resolve(conditional.getFalseExpression(), depth + 1);
      if (whenTrue.sameObjectAs(whenFalse)) {
        return whenTrue;
      }
      ImmutableSet.Builder<LockId> alternatives = ImmutableSet.builder();
      for (LockName branch : List.of(whenTrue, whenFalse)) {
        if (branch.family() != null) {
          alternatives.add(branch.family());
        }
        alternatives.addAll(branch.alternatives());
      }
      return LockName.either(alternatives.build(), text);
    }
    if (tree instanceof NewClassTree) {
      return LockName.fresh(allocatedFamily(type), text);
    }
    if (tree instanceof MethodInvocationTree) {
      return resolveCall((MethodInvocationTree) tree, type, text, depth);
    }
    return LockName.unknown(familyOfType(type), text);
  }

  private LockName resolveCall(MethodInvocationTree call, Type type, String text, int depth) {
    ExpressionTree receiverTree = ASTHelpers.getReceiver(call);
    if (READ_WRITE_VIEW.matches(call, state)) {
      // One node per read-write lock: a read lock in a cycle still deadlocks once a writer queues.
      return receiverTree == null ? thisMonitor(enclosingClass) : resolve(receiverTree, depth + 1);
    }
    Symbol symbol = TreeInfo.symbol((JCTree) call.getMethodSelect());
    if (!(symbol instanceof MethodSymbol method)) {
      return LockName.unknown(familyOfType(type), text);
    }
    Type receiverType = receiverTree == null ? enclosingClass.type : ASTHelpers.getType(receiverTree);
    ClassSymbol made = index.factoryClass(method, receiverType);
    if (made != null) {
      // Every method the call may run returns a new object of one class: it is the caller's.
      return LockName.fresh(LockId.allocated(made), text);
    }
    if (!call.getArguments().isEmpty()) {
      return LockName.unknown(familyOfType(type), text);
    }
    LockName receiver =
        receiverTree == null
            ? (method.isStatic() ? null : thisMonitor(enclosingClass))
            : resolve(receiverTree, depth + 1);
    List<LockName> returned = new ArrayList<>();
    for (LockName result : index.gettersResults(method, receiverType, depth + 1)) {
      returned.add(
          receiver == null || !result.isRelative()
              ? result
              : result.substitute(receiver, List.of(), state.getTypes(), index.fieldAliases()));
    }
    if (returned.isEmpty()) {
      return LockName.unknown(familyOfType(type), text);
    }
    LockName first = returned.get(0);
    if (returned.stream().allMatch(first::sameObjectAs)) {
      return withText(first, text);
    }
    ImmutableSet.Builder<LockId> alternatives = ImmutableSet.builder();
    for (LockName result : returned) {
      if (result.family() != null) {
        alternatives.add(result.family());
      }
    }
    return LockName.either(alternatives.build(), text);
  }

  private static LockName withText(LockName name, String text) {
    return new LockName(
        name.root(), name.parameter(), name.fields(), name.family(), name.alternatives(), text);
  }

  /** @param use where the code reads it: a parameter is the caller's if no assignment came first */
  private LockName resolveVariable(
      VarSymbol variable,
      @Nullable ExpressionTree receiver,
      Tree use,
      Type type,
      String text,
      int depth) {
    if (variable.owner instanceof ClassSymbol) {
      ClassSymbol owner = (ClassSymbol) variable.owner;
      ExpressionTree view = index.readWriteViewInitializer(variable);
      if (view != null && !variable.isStatic()) {
        if (receiver == null) {
          return withText(resolve(view, depth + 1), text);
        }
        VarSymbol viewed = ownFieldViewed(view);
        if (viewed != null) {
          // other.readLock, initialised as lock.readLock(): a view of other.lock.
          return withText(resolveVariable(viewed, receiver, use, viewed.type, text, depth + 1), text);
        }
      }
      LockId family = index.fieldFamily(variable);
      if (variable.isStatic()) {
        return family == null ? LockName.unknown(null, text) : LockName.global(family, text);
      }
      LockName base = receiver == null ? thisMonitor(enclosingClass) : resolve(receiver, depth + 1);
      if (receiver == null && !enclosingClass.isSubClass(owner, state.getTypes())) {
        // A field of an enclosing instance, named without qualification.
        base = enclosingInstance(enclosingClass, owner, Names.classDisplay(owner) + ".this");
      }
      return base.select(Names.classKey(owner) + "#" + variable.getSimpleName(), family, text);
    }
    if (variable.getKind() == ElementKind.PARAMETER) {
      int parameter = method == null ? -1 : method.getParameters().indexOf(variable);
      if (parameter >= 0 && !isReassignedBefore.test(variable, use)) {
        return LockName.parameter(parameter, familyOfType(type), text);
      }
      return LockName.unknown(familyOfType(type), text);
    }
    if ((variable.getKind() == ElementKind.LOCAL_VARIABLE
            || variable.getKind() == ElementKind.RESOURCE_VARIABLE)
        && !isReassigned.test(variable)) {
      ExpressionTree initializer = localInitializer.apply(variable);
      if (initializer != null) {
        LockName aliased = resolve(initializer, depth + 1);
        return withText(aliased, aliased.root() == LockName.Root.UNKNOWN ? text : aliased.text());
      }
    }
    return LockName.unknown(familyOfType(type), text);
  }

  /** For {@code lock.readLock()} or {@code this.lock.writeLock()}, the instance field {@code lock}. */
  private static @Nullable VarSymbol ownFieldViewed(ExpressionTree view) {
    ExpressionTree lock = ASTHelpers.getReceiver(view);
    if (lock == null) {
      return null;
    }
    lock = skipParensAndCasts(lock);
    boolean ownField =
        lock instanceof IdentifierTree
            || (lock instanceof MemberSelectTree
                && skipParensAndCasts(((MemberSelectTree) lock).getExpression())
                    instanceof IdentifierTree identifier
                && identifier.getName().contentEquals("this"));
    Symbol symbol = TreeInfo.symbol((JCTree) lock);
    return ownField
            && symbol instanceof VarSymbol field
            && field.owner instanceof ClassSymbol
            && !field.isStatic()
        ? field
        : null;
  }

  /** A new object of this very class, or null where the class says nothing. */
  static @Nullable LockId allocatedFamily(@Nullable Type type) {
    if (type == null || !(type.tsym instanceof ClassSymbol)) {
      return null;
    }
    return LockId.allocated((ClassSymbol) type.tsym);
  }

  /** "An object of this class", or null where the class says nothing (Object, unresolved). */
  static @Nullable LockId familyOfType(@Nullable Type type) {
    if (type == null || !(type.tsym instanceof ClassSymbol)) {
      return null;
    }
    return LockId.object((ClassSymbol) type.tsym);
  }

  private static Symbol.@Nullable TypeSymbol typeSymbolOf(ExpressionTree tree) {
    Symbol symbol = TreeInfo.symbol((JCTree) tree);
    return symbol instanceof Symbol.TypeSymbol ? (Symbol.TypeSymbol) symbol : null;
  }

  private static ExpressionTree skipParensAndCasts(ExpressionTree tree) {
    while (true) {
      if (tree instanceof ParenthesizedTree) {
        tree = ((ParenthesizedTree) tree).getExpression();
      } else if (tree instanceof TypeCastTree) {
        tree = ((TypeCastTree) tree).getExpression();
      } else {
        return tree;
      }
    }
  }
}
