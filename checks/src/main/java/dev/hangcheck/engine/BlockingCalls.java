package dev.hangcheck.engine;

import static com.google.errorprone.matchers.method.MethodMatchers.instanceMethod;

import com.google.common.collect.ImmutableList;
import com.google.errorprone.VisitorState;
import com.google.errorprone.matchers.Matcher;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.code.Flags;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.tree.JCTree;
import com.sun.tools.javac.tree.TreeInfo;
import dev.hangcheck.catalog.BlockingCatalog;
import dev.hangcheck.catalog.BlockingCategory;
import dev.hangcheck.catalog.BlockingMethod;
import dev.hangcheck.locks.LockName;
import dev.hangcheck.locks.Names;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The calls a body makes that the catalog says block, as {@link BodyScanner} meets them: what
 * they block on, for how long, and which held lock a wait releases while it waits.
 */
final class BlockingCalls {

  private static final Matcher<ExpressionTree> OBJECT_WAIT =
      instanceMethod().anyClass().named("wait");
  private static final Matcher<ExpressionTree> CONDITION_AWAIT =
      instanceMethod()
          .onDescendantOf("java.util.concurrent.locks.Condition")
          .namedAnyOf("await", "awaitNanos", "awaitUntil", "awaitUninterruptibly");
  private static final Matcher<ExpressionTree> TIMED_WAIT =
      instanceMethod().onExactClass("java.util.concurrent.TimeUnit").named("timedWait");
  /** A condition of the receiver: a {@code Lock}'s, or a lock handle's (BodyScanner.LOCK_HANDLE). */
  private static final Matcher<ExpressionTree> NEW_CONDITION =
      instanceMethod()
          .onDescendantOfAny(
              "java.util.concurrent.locks.Lock",
              BodyScanner.JETTY_LOCKER,
              BodyScanner.JETTY_AUTO_LOCK)
          .named("newCondition");

  /** How the scanner names the locks of the code it is in. */
  interface Naming {
    LockName resolve(ExpressionTree expression);

    /** The lock whose method {@code call} calls ({@code monitor.wait()}, {@code l.newCondition()}). */
    LockName lockOfReceiver(MethodInvocationTree call);

    HeldLock heldLock(LockName name, Tree tree);

    @Nullable ExpressionTree localInitializer(VarSymbol variable);
  }

  private final SourceIndex index;
  private final VisitorState state;
  private final BlockingCatalog catalog;
  private final Naming naming;

  BlockingCalls(
      SourceIndex index,
      VisitorState state,
      BlockingCatalog catalog,
      Naming naming) {
    this.index = index;
    this.state = state;
    this.catalog = catalog;
    this.naming = naming;
  }

  /**
   * Records {@code tree} in {@code body} if the catalog says it blocks; returns whether it did
   * (a blocking library call is not followed as a call).
   */
  boolean record(
      MethodSymbol method,
      Tree tree,
      List<? extends ExpressionTree> arguments,
      TreePath path,
      ImmutableList<HeldLock> held,
      Body body) {
    BlockingMethod blocking = catalog.classify(method, state);
    if (blocking == null
        && tree instanceof MethodInvocationTree
        && catalog.hasEntriesNamed(method, state)) {
      // Only then can the receiver's type make a difference (FileWriter.write is Writer.write).
      blocking =
          catalog.classify(method, ASTHelpers.getReceiverType((ExpressionTree) tree), state);
    }
    if (blocking == null && !index.isSourceClass(SummaryFormat.topLevelClass(method))) {
      recordSummarized(method, tree, arguments, path, held, body);
      return false; // still a call: a library's lock helpers are known by their annotations
    }
    if (blocking == null
        || (blocking.category() != BlockingCategory.DECLARED
            && index.isSourceClass(method.enclClass()))) {
      // The catalog speaks for libraries; code compiled here is judged by what its body does.
      return false;
    }
    if (CompletedFutures.isGetOfACompletedFuture(method, tree, path, index, naming::localInitializer)) {
      return true; // a known library call that returns at once here: neither blocking nor followed
    }
    if (blocking.category() == BlockingCategory.WAIT
        && tree instanceof MethodInvocationTree insertion
        && index.unboundedQueues().isInsertionIntoUnbounded(insertion, naming::localInitializer)) {
      return true; // put into a queue that is never full: returns at once
    }
    if (blocking.category() == BlockingCategory.NETWORK
        && tree instanceof MethodInvocationTree invocation
        && isClassPathResource(ASTHelpers.getReceiver(invocation), 0)) {
      // getResource(...).openStream() reads a jar or a directory of the class path, not a socket.
      blocking = new BlockingMethod(BlockingCategory.FILE, blocking.entry());
    }
    if ((blocking.category() == BlockingCategory.SLEEP
            || blocking.entry().startsWith("java.util.concurrent.locks.LockSupport#park"))
        && SpinBackOff.isBackOff(path)) {
      return true; // waiting to retry a lock: an acquisition, which the lock-order analysis sees
    }
    HeldLock releases = null;
    if (tree instanceof MethodInvocationTree) {
      if (BodyScanner.isCallNamed(tree, "wait") && OBJECT_WAIT.matches((ExpressionTree) tree, state)) {
        releases = naming.heldLock(naming.lockOfReceiver((MethodInvocationTree) tree), tree);
      } else if (BodyScanner.isCallNamed(tree, "timedWait")
          && TIMED_WAIT.matches((ExpressionTree) tree, state)
          && !arguments.isEmpty()) {
        // TimeUnit.timedWait(monitor, timeout) is monitor.wait(...): it releases that monitor.
        releases = naming.heldLock(naming.resolve(arguments.get(0)), tree);
      } else if (method.getSimpleName().length() >= 5
          && method.getSimpleName().subSequence(0, 5).toString().equals("await")
          && CONDITION_AWAIT.matches((ExpressionTree) tree, state)) {
        releases = lockOfCondition(ASTHelpers.getReceiver((ExpressionTree) tree), tree);
      }
    }
    body.blockingCalls.add(
        new BlockingCallSite(
            blocking,
            Names.methodDisplay(method),
            timeoutOf(method, arguments),
            isConstantTimeout(arguments),
            releases,
            held,
            new Site(tree, body),
            ParameterGuard.at(path, body)));
    return true;
  }

  /**
   * Records a call of a method compiled in an earlier run that blocks by its summary, once per
   * category, unless the constant argument of its guard rules the blocking out.
   */
  private void recordSummarized(
      MethodSymbol method,
      Tree tree,
      List<? extends ExpressionTree> arguments,
      TreePath path,
      ImmutableList<HeldLock> held,
      Body body) {
    List<SummaryFormat.Blocking> entries = index.librarySummaries().of(method);
    Set<BlockingCategory> recorded = EnumSet.noneOf(BlockingCategory.class);
    for (SummaryFormat.Blocking entry : entries) {
      if (recorded.contains(entry.category()) || ruledOut(entry, arguments)) {
        continue;
      }
      recorded.add(entry.category());
      String display =
          Names.methodDisplay(method)
              + " -> "
              + entry.chain()
              + " ("
              + entry.origin()
              + ", by its summary)";
      body.blockingCalls.add(
          new BlockingCallSite(
              new BlockingMethod(entry.category(), "summary of " + entry.method()),
              display,
              entry.timeout(),
              /* timeoutIsConstant= */ true,
              /* releases= */ null,
              held,
              new Site(tree, body),
              ParameterGuard.at(path, body)));
    }
  }

  /** Whether the call passes the constant that switches off the entry's blocking branch. */
  private static boolean ruledOut(
      SummaryFormat.Blocking entry, List<? extends ExpressionTree> arguments) {
    return entry.guardParameter() >= 0
        && ParameterGuard.onBoolean(entry.guardParameter(), entry.guardRequired())
            .isFailedBy(arguments);
  }

  /**
   * Whether {@code url} is a URL of the class path ({@code getClass().getResource(name)}), or a
   * connection it opened, directly or through a variable initialised with one.
   */
  private boolean isClassPathResource(@Nullable ExpressionTree url, int depth) {
    if (url == null || depth > 4) {
      return false;
    }
    ExpressionTree expression = ASTHelpers.stripParentheses(url);
    Symbol symbol = ASTHelpers.getSymbol(expression);
    if (expression instanceof MethodInvocationTree call && symbol instanceof MethodSymbol method) {
      String owner = method.owner.getQualifiedName().toString();
      String name = method.getSimpleName().toString();
      if ((owner.equals("java.lang.Class") || owner.equals("java.lang.ClassLoader"))
          && (name.equals("getResource") || name.equals("getSystemResource"))) {
        return true;
      }
      return owner.equals("java.net.URL")
          && name.equals("openConnection")
          && isClassPathResource(ASTHelpers.getReceiver(call), depth + 1);
    }
    if (symbol instanceof VarSymbol variable
        && (variable.flags() & (Flags.FINAL | Flags.EFFECTIVELY_FINAL)) != 0) {
      ExpressionTree initializer =
          variable.owner instanceof ClassSymbol
              ? index.fieldInitializer(variable)
              : naming.localInitializer(variable);
      return isClassPathResource(initializer, depth + 1);
    }
    return false;
  }

  /**
   * The lock whose {@code newCondition()} made {@code condition}, when it can be traced; else a
   * lock with no name, which still tells that the await releases one of the locks held.
   */
  private HeldLock lockOfCondition(@Nullable ExpressionTree condition, Tree site) {
    if (condition == null) {
      return naming.heldLock(LockName.unknown(null, "a lock"), site);
    }
    ExpressionTree origin = ASTHelpers.stripParentheses(condition);
    Symbol symbol = TreeInfo.symbol((JCTree) origin);
    if (symbol instanceof VarSymbol) {
      ExpressionTree initializer =
          symbol.owner instanceof ClassSymbol
              ? index.fieldInitializer((VarSymbol) symbol)
              : naming.localInitializer((VarSymbol) symbol);
      if (initializer != null) {
        origin = ASTHelpers.stripParentheses(initializer);
      }
    }
    if (!BodyScanner.isCallNamed(origin, "newCondition") || !NEW_CONDITION.matches(origin, state)) {
      // Its lock cannot be traced; it is one of the locks held, as await() requires.
      return naming.heldLock(
          LockName.unknown(null, "the lock of " + LockResolver.sourceText(condition)), site);
    }
    return naming.heldLock(naming.lockOfReceiver((MethodInvocationTree) origin), site);
  }

  /** Whether every argument of the call is a constant: a literal, a constant field, an enum constant. */
  private static boolean isConstantTimeout(List<? extends ExpressionTree> arguments) {
    for (ExpressionTree argument : arguments) {
      if (!isConstant(argument)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isConstant(ExpressionTree expression) {
    if (ASTHelpers.constValue(expression) != null) {
      return true;
    }
    Symbol symbol = ASTHelpers.getSymbol(expression);
    return symbol instanceof VarSymbol variable
        && variable.owner instanceof ClassSymbol
        && variable.isStatic()
        && (variable.flags() & Flags.FINAL) != 0;
  }

  /** The source of the timeout arguments of a timed wait ({@code 5, TimeUnit.SECONDS}). */
  private static @Nullable String timeoutOf(
      MethodSymbol method, List<? extends ExpressionTree> arguments) {
    List<VarSymbol> parameters = method.getParameters();
    for (int i = 0; i < parameters.size() && i < arguments.size(); i++) {
      String type = parameters.get(i).asType().toString();
      if (type.equals("java.time.Duration")) {
        return arguments.get(i).toString();
      }
      if (type.equals("java.util.concurrent.TimeUnit") && i > 0) {
        return arguments.get(i - 1) + " " + arguments.get(i);
      }
    }
    if ((method.getSimpleName().contentEquals("wait") || method.getSimpleName().contentEquals("join"))
        && !arguments.isEmpty()) {
      return arguments.stream().map(Object::toString).collect(Collectors.joining(", ")) + " ms";
    }
    return null;
  }
}
