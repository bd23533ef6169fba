package dev.hangcheck.engine;

import dev.hangcheck.locks.LockId;
import static com.google.errorprone.matchers.method.MethodMatchers.instanceMethod;

import com.google.errorprone.VisitorState;
import com.google.errorprone.matchers.Matcher;
import com.google.errorprone.util.ASTHelpers;
import com.google.common.collect.ImmutableSet;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.TypeCastTree;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.tree.TreeInfo;
import dev.hangcheck.locks.Names;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import javax.lang.model.element.ElementKind;
import org.jspecify.annotations.Nullable;

/**
 * Decides which lock an expression denotes. Names only what it can name for sure; everything else
 * stays unnamed (no graph node) rather than guessed.
 */
public final class LockResolver {

  private static final Matcher<ExpressionTree> READ_WRITE_VIEW =
      instanceMethod()
          .onDescendantOf("java.util.concurrent.locks.ReadWriteLock")
          .namedAnyOf("readLock", "writeLock");

  /** How many local-variable initialisers to follow ({@code a = b; b = c; ...}) before giving up. */
  private static final int MAX_ALIAS_DEPTH = 8;

  /** The lock an expression denotes, as far as it is known. */
  public record Resolved(
      @Nullable LockId id,
      @Nullable String expressionKey,
      @Nullable Type type,
      boolean stable,
      ImmutableSet<LockId> alternatives) {

    public Resolved(
        @Nullable LockId id, @Nullable String expressionKey, @Nullable Type type, boolean stable) {
      this(id, expressionKey, type, stable, ImmutableSet.of());
    }
  }

  /** The source text of a lock expression, for messages about locks that cannot be named. */
  public static String sourceText(ExpressionTree expression) {
    String text = skipParensAndCasts(expression).toString();
    return text.length() <= 60 ? text : text.substring(0, 57) + "...";
  }

  private final VisitorState state;
  private final Predicate<VarSymbol> isReassigned;

  /**
   * @param isReassigned whether a local variable or parameter is assigned after its declaration.
   *     Not javac's EFFECTIVELY_FINAL flag: flow analysis sets it, and Hangcheck reads units that
   *     javac has attributed but not yet flowed.
   */
  public LockResolver(VisitorState state, Predicate<VarSymbol> isReassigned) {
    this.state = state;
    this.isReassigned = isReassigned;
  }

  /**
   * Resolves {@code expression}, evaluated inside {@code enclosingClass}.
   *
   * @param localInitializer the initialiser of an effectively final local variable, or null
   */
  public Resolved resolve(
      ExpressionTree expression,
      ClassSymbol enclosingClass,
      Function<VarSymbol, @Nullable ExpressionTree> localInitializer) {
    return resolve(expression, enclosingClass, localInitializer, 0);
  }

  /**
   * The lock of {@code this} inside {@code cls}: what its synchronized instance methods take.
   * Superclass code on the same object takes the same monitor; the analysis knows that where it
   * knows the object is the same (a call on {@code this}).
   */
  public static Resolved thisMonitor(ClassSymbol cls) {
    return new Resolved(LockId.instanceMonitor(cls), "this", cls.asType(), true);
  }

  /** The lock of {@code cls.class}: what its static synchronized methods take. */
  public static Resolved classMonitor(ClassSymbol cls) {
    String display = Names.classDisplay(cls);
    return new Resolved(
        LockId.classMonitor(Names.classKey(cls), display), display + ".class", null, false);
  }

  private Resolved resolve(
      ExpressionTree expression,
      ClassSymbol enclosingClass,
      Function<VarSymbol, @Nullable ExpressionTree> localInitializer,
      int depth) {
    ExpressionTree tree = skipParensAndCasts(expression);
    Type type = ASTHelpers.getType(tree);
    Symbol symbol = TreeInfo.symbol((com.sun.tools.javac.tree.JCTree) tree);
    if (tree instanceof IdentifierTree) {
      if (((IdentifierTree) tree).getName().contentEquals("this")) {
        return thisMonitor(enclosingClass);
      }
      if (symbol instanceof VarSymbol) {
        return resolveVariable(
            (VarSymbol) symbol, null, type, enclosingClass, localInitializer, depth);
      }
      return unknown(type);
    }
    if (tree instanceof MemberSelectTree) {
      MemberSelectTree select = (MemberSelectTree) tree;
      if (select.getIdentifier().contentEquals("class")) {
        Symbol.TypeSymbol target = typeSymbolOf(select.getExpression());
        return target instanceof ClassSymbol ? classMonitor((ClassSymbol) target) : unknown(type);
      }
      if (select.getIdentifier().contentEquals("this")) {
        Symbol.TypeSymbol outer = typeSymbolOf(select.getExpression());
        if (outer instanceof ClassSymbol) {
          Resolved monitor = thisMonitor((ClassSymbol) outer);
          return new Resolved(
              monitor.id(), Names.classDisplay(outer) + ".this", monitor.type(), true);
        }
        return unknown(type);
      }
      if (symbol instanceof VarSymbol) {
        return resolveVariable(
            (VarSymbol) symbol,
            select.getExpression(),
            type,
            enclosingClass,
            localInitializer,
            depth);
      }
      return unknown(type);
    }
    if (tree instanceof ConditionalExpressionTree) {
      // cond ? a : b: one of two locks. Unnamed, but either may be the one held (for reentrancy).
      ConditionalExpressionTree conditional = (ConditionalExpressionTree) tree;
      Resolved whenTrue =
          resolve(conditional.getTrueExpression(), enclosingClass, localInitializer, depth + 1);
      Resolved whenFalse =
          resolve(conditional.getFalseExpression(), enclosingClass, localInitializer, depth + 1);
      if (whenTrue.id() != null && whenTrue.id().equals(whenFalse.id())) {
        return whenTrue;
      }
      ImmutableSet.Builder<LockId> alternatives = ImmutableSet.builder();
      for (Resolved branch : List.of(whenTrue, whenFalse)) {
        if (branch.id() != null) {
          alternatives.add(branch.id());
        }
        alternatives.addAll(branch.alternatives());
        // The object is also the monitor its own synchronized methods take.
        if (branch.type() != null && branch.type().tsym instanceof ClassSymbol) {
          alternatives.add(LockId.instanceMonitor((ClassSymbol) branch.type().tsym));
        }
      }
      return new Resolved(null, null, type, false, alternatives.build());
    }
    if (tree instanceof MethodInvocationTree && READ_WRITE_VIEW.matches(tree, state)) {
      ExpressionTree receiver = ASTHelpers.getReceiver(tree);
      // One node per read-write lock: a read lock in a cycle still deadlocks once a writer queues.
      return receiver == null
          ? thisMonitor(enclosingClass)
          : resolve(receiver, enclosingClass, localInitializer, depth + 1);
    }
    return unknown(type);
  }

  private Resolved resolveVariable(
      VarSymbol variable,
      @Nullable ExpressionTree receiver,
      Type type,
      ClassSymbol enclosingClass,
      Function<VarSymbol, @Nullable ExpressionTree> localInitializer,
      int depth) {
    String name = variable.getSimpleName().toString();
    if (variable.owner instanceof ClassSymbol) {
      ClassSymbol owner = (ClassSymbol) variable.owner;
      String ownerKey = Names.classKey(owner);
      String ownerDisplay = Names.classDisplay(owner);
      if (variable.isStatic()) {
        return new Resolved(
            LockId.staticField(ownerKey, ownerDisplay, name), ownerKey + "." + name, type, true);
      }
      LockId id = LockId.instanceField(ownerKey, ownerDisplay, name);
      if (receiver == null) {
        return new Resolved(id, "this." + name, type, true);
      }
      Resolved base = resolve(receiver, enclosingClass, localInitializer, depth + 1);
      return base.expressionKey() == null
          ? new Resolved(id, null, type, false)
          : new Resolved(id, base.expressionKey() + "." + name, type, base.stable());
    }
    if (variable.getKind() == ElementKind.PARAMETER) {
      return new Resolved(null, name, type, !isReassigned.test(variable));
    }
    if (variable.getKind() == ElementKind.LOCAL_VARIABLE
        && !isReassigned.test(variable)
        && depth < MAX_ALIAS_DEPTH) {
      ExpressionTree initializer = localInitializer.apply(variable);
      if (initializer != null) {
        Resolved aliased = resolve(initializer, enclosingClass, localInitializer, depth + 1);
        if (aliased.id() != null || aliased.stable() || !aliased.alternatives().isEmpty()) {
          return aliased;
        }
      }
    }
    return unknown(type);
  }

  private static Resolved unknown(@Nullable Type type) {
    return new Resolved(null, null, type, false);
  }

  private static Symbol.@Nullable TypeSymbol typeSymbolOf(ExpressionTree tree) {
    Symbol symbol = TreeInfo.symbol((com.sun.tools.javac.tree.JCTree) tree);
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
