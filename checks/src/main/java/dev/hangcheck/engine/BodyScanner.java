package dev.hangcheck.engine;

import dev.hangcheck.locks.Names;
import static com.google.errorprone.matchers.method.MethodMatchers.instanceMethod;
import static com.google.errorprone.matchers.method.MethodMatchers.staticMethod;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import com.google.errorprone.VisitorState;
import com.google.errorprone.matchers.Matcher;
import com.google.errorprone.matchers.Matchers;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.SynchronizedTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.tools.javac.code.Flags;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.tree.JCTree;
import com.sun.tools.javac.tree.TreeInfo;
import dev.hangcheck.catalog.BlockingCatalog;
import dev.hangcheck.catalog.BlockingCategory;
import dev.hangcheck.catalog.BlockingMethod;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.Name;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Walks one method (or initializer) once, in source order, carrying the set of locks held, and
 * records into {@link Body} objects what the code does: locks it waits for, calls it makes, calls
 * that block. Deferred lambdas become bodies of their own, entered with no lock held.
 */
final class BodyScanner extends TreePathScanner<Void, Void> {

  private static final String LOCK = "java.util.concurrent.locks.Lock";

  private static final Matcher<ExpressionTree> LOCK_ACQUIRE =
      instanceMethod().onDescendantOf(LOCK).namedAnyOf("lock", "lockInterruptibly");
  private static final Matcher<ExpressionTree> LOCK_TRY =
      instanceMethod().onDescendantOf(LOCK).named("tryLock");
  private static final Matcher<ExpressionTree> LOCK_RELEASE =
      instanceMethod().onDescendantOf(LOCK).named("unlock");
  private static final Matcher<ExpressionTree> OBJECT_WAIT =
      instanceMethod().anyClass().named("wait");
  private static final Matcher<ExpressionTree> CONDITION_AWAIT =
      instanceMethod()
          .onDescendantOf("java.util.concurrent.locks.Condition")
          .namedAnyOf("await", "awaitNanos", "awaitUntil", "awaitUninterruptibly");
  private static final Matcher<ExpressionTree> TIMED_WAIT =
      instanceMethod().onExactClass("java.util.concurrent.TimeUnit").named("timedWait");

  /** Calls that wait for a future's result, and return it at once when it is complete. */
  private static final ImmutableSet<String> RESULT_GETTERS =
      ImmutableSet.of(
          "get", "join", "getNow", "getUninterruptibly", "getUnchecked", "getChecked", "sync",
          "syncUninterruptibly", "await", "awaitUninterruptibly");

  /** Tests that, when true, tell a future is complete. */
  private static final ImmutableSet<String> COMPLETION_TESTS =
      ImmutableSet.of("isDone", "isSuccess", "isCancelled");

  private static final Matcher<ExpressionTree> NEW_CONDITION =
      instanceMethod().onDescendantOf(LOCK).named("newCondition");

  /**
   * APIs that run the lambdas they are given before they return, on the calling thread (or while
   * the calling thread waits for them): locks held at the call are held in the lambda.
   */
  private static final Matcher<ExpressionTree> RUNS_ARGUMENTS_NOW =
      Matchers.anyOf(
          instanceMethod().onDescendantOf("java.lang.Iterable").named("forEach"),
          instanceMethod().onDescendantOf("java.util.Iterator").named("forEachRemaining"),
          instanceMethod().onDescendantOf("java.util.Spliterator").namedAnyOf("forEachRemaining", "tryAdvance"),
          instanceMethod()
              .onDescendantOf("java.util.Map")
              .namedAnyOf(
                  "forEach", "compute", "computeIfAbsent", "computeIfPresent", "merge",
                  "replaceAll"),
          instanceMethod().onDescendantOf("java.util.Collection").named("removeIf"),
          instanceMethod().onDescendantOf("java.util.List").namedAnyOf("replaceAll", "sort"),
          instanceMethod()
              .onExactClassAny("java.util.Optional", "java.util.OptionalInt",
                  "java.util.OptionalLong", "java.util.OptionalDouble")
              .namedAnyOf(
                  "ifPresent", "ifPresentOrElse", "map", "flatMap", "filter", "or", "orElseGet",
                  "orElseThrow"),
          instanceMethod().onDescendantOf("java.util.stream.BaseStream"),
          instanceMethod()
              .onDescendantOfAny(
                  "java.util.concurrent.atomic.AtomicReference",
                  "java.util.concurrent.atomic.AtomicInteger",
                  "java.util.concurrent.atomic.AtomicLong")
              .namedAnyOf("updateAndGet", "getAndUpdate", "accumulateAndGet", "getAndAccumulate"),
          staticMethod().onClass("java.util.Collections").named("sort"),
          staticMethod()
              .onClass("java.util.Arrays")
              .namedAnyOf("sort", "setAll", "parallelSetAll", "parallelPrefix"),
          staticMethod().onClass("java.util.Objects").named("requireNonNullElseGet"));

  private final SourceIndex index;
  private final VisitorState state;
  private final LockResolver resolver;
  private final BlockingCatalog catalog;
  private final ClassSymbol enclosingClass;
  private final List<Body> bodies = new ArrayList<>();
  /** The lock each {@code lock()} call (or {@code synchronized}) took, for the statement after. */
  private final Map<Tree, HeldLock> acquiredAt = new HashMap<>();

  private Body body;
  private ImmutableList<HeldLock> held = ImmutableList.of();
  /** Whether the code scanned is a constructor (its own monitor is not contended yet). */
  private boolean scanningConstructor;
  /** The method or initializer being scanned: where its variables can be assigned. */
  private Tree root;
  /** Its local variables, examined only if a lock expression names one. */
  private LocalVariables locals;

  private BodyScanner(
      SourceIndex index, VisitorState state, BlockingCatalog catalog, ClassSymbol enclosingClass) {
    this.index = index;
    this.state = state;
    this.resolver = new LockResolver(state, this::isReassigned);
    this.catalog = catalog;
    this.enclosingClass = enclosingClass;
  }

  /** Records what a method or constructor does; returns its body and those of deferred lambdas. */
  static List<Body> scanMethod(
      SourceIndex index, VisitorState state, BlockingCatalog catalog, TreePath methodPath) {
    MethodTree method = (MethodTree) methodPath.getLeaf();
    MethodSymbol symbol = ASTHelpers.getSymbol(method);
    BodyScanner scanner = new BodyScanner(index, state, catalog, symbol.enclClass());
    scanner.body =
        new Body(
            Body.Kind.METHOD,
            symbol,
            methodPath,
            index.fileKey(methodPath.getCompilationUnit()),
            () -> Names.methodDisplay(symbol),
            () -> index.suppressions(methodPath));
    scanner.bodies.add(scanner.body);
    if ((symbol.flags() & Flags.SYNCHRONIZED) != 0) {
      LockResolver.Resolved monitor =
          symbol.isStatic()
              ? LockResolver.classMonitor(symbol.enclClass())
              : LockResolver.thisMonitor(symbol.enclClass());
      HeldLock lock = scanner.heldLock(monitor, method, null);
      scanner.body.acquisitions.add(new Acquisition(lock, ImmutableList.of()));
      scanner.held = ImmutableList.of(lock);
    }
    scanner.root = method;
    scanner.scanningConstructor = symbol.isConstructor();
    scanner.scan(new TreePath(methodPath, method.getBody()), null);
    return scanner.bodies;
  }

  /** Records what an initializer block or a field initializer does. */
  static List<Body> scanInitializer(
      SourceIndex index,
      VisitorState state,
      BlockingCatalog catalog,
      TreePath path,
      ClassSymbol owner) {
    BodyScanner scanner = new BodyScanner(index, state, catalog, owner);
    boolean isStatic =
        path.getLeaf() instanceof BlockTree
            ? ((BlockTree) path.getLeaf()).isStatic()
            : (ASTHelpers.getSymbol((VariableTree) path.getLeaf()).flags() & Flags.STATIC) != 0;
    scanner.body =
        new Body(
            Body.Kind.INITIALIZER,
            null,
            path,
            index.fileKey(path.getCompilationUnit()),
            () -> Names.classDisplay(owner) + (isStatic ? ".<static init>" : ".<init>"),
            () -> index.suppressions(path));
    scanner.bodies.add(scanner.body);
    Tree start =
        path.getLeaf() instanceof VariableTree
            ? ((VariableTree) path.getLeaf()).getInitializer()
            : path.getLeaf();
    scanner.root = start;
    scanner.scan(new TreePath(path, start), null);
    return scanner.bodies;
  }

  // ---- structure: classes are bodies of their own, lambdas may be deferred ----

  @Override
  public Void visitClass(ClassTree tree, Void unused) {
    return null; // local and anonymous classes are bodies of their own, indexed by RootFinder
  }

  @Override
  public Void visitLambdaExpression(LambdaExpressionTree tree, Void unused) {
    if (runsNow(getCurrentPath())) {
      return super.visitLambdaExpression(tree, null);
    }
    Body outerBody = body;
    ImmutableList<HeldLock> outerHeld = held;
    TreePath lambdaPath = getCurrentPath();
    body =
        new Body(
            Body.Kind.DEFERRED_LAMBDA,
            null,
            lambdaPath,
            outerBody.fileKey(),
            () -> "a lambda in " + outerBody.display(),
            () -> index.suppressions(lambdaPath));
    bodies.add(body);
    held = ImmutableList.of();
    try {
      return super.visitLambdaExpression(tree, null);
    } finally {
      body = outerBody;
      held = outerHeld;
    }
  }

  @Override
  public Void visitMemberReference(MemberReferenceTree tree, Void unused) {
    super.visitMemberReference(tree, null);
    Symbol symbol = ASTHelpers.getSymbol(tree);
    if (symbol instanceof MethodSymbol && runsNow(getCurrentPath())) {
      recordCall((MethodSymbol) symbol, tree, tree.getQualifierExpression(), false);
    }
    return null;
  }

  /** Whether the lambda or method reference at {@code path} is run before its call returns. */
  private boolean runsNow(TreePath path) {
    Tree child = path.getLeaf();
    TreePath parent = path.getParentPath();
    while (parent != null && parent.getLeaf() instanceof ParenthesizedTree) {
      child = parent.getLeaf();
      parent = parent.getParentPath();
    }
    if (parent == null || !(parent.getLeaf() instanceof MethodInvocationTree)) {
      return false;
    }
    MethodInvocationTree call = (MethodInvocationTree) parent.getLeaf();
    return call.getArguments().contains(child) && RUNS_ARGUMENTS_NOW.matches(call, state);
  }

  // ---- locks ----

  @Override
  public Void visitSynchronized(SynchronizedTree tree, Void unused) {
    scan(tree.getExpression(), null);
    HeldLock lock = heldLock(resolve(tree.getExpression()), tree, tree.getExpression());
    body.acquisitions.add(new Acquisition(lock, held));
    ImmutableList<HeldLock> outer = held;
    held = with(held, lock);
    try {
      scan(tree.getBlock(), null);
    } finally {
      held = outer;
    }
    return null;
  }

  @Override
  public Void visitBlock(BlockTree tree, Void unused) {
    ImmutableList<HeldLock> outer = held;
    try {
      for (StatementTree statement : tree.getStatements()) {
        scan(statement, null);
        held = afterStatement(statement, held);
      }
    } finally {
      held = outer;
    }
    return null;
  }

  /** The locks held after {@code statement}: {@code lock()} adds, {@code unlock()} removes. */
  private ImmutableList<HeldLock> afterStatement(
      StatementTree statement, ImmutableList<HeldLock> before) {
    if (statement instanceof ExpressionStatementTree) {
      ExpressionTree expression = ((ExpressionStatementTree) statement).getExpression();
      HeldLock taken = acquiredAt.get(expression);
      if (taken != null) {
        return with(before, taken);
      }
      if (isCallNamed(expression, "unlock") && LOCK_RELEASE.matches(expression, state)) {
        return without(before, lockOfReceiver((MethodInvocationTree) expression));
      }
    }
    if (statement instanceof TryTree && ((TryTree) statement).getFinallyBlock() != null) {
      ImmutableList<HeldLock> after = before;
      for (StatementTree released : ((TryTree) statement).getFinallyBlock().getStatements()) {
        after = afterStatement(released, after);
      }
      return after;
    }
    if (statement instanceof IfTree) {
      // if (!lock.tryLock(...)) { return; }  -- from here on the lock is held
      IfTree ifTree = (IfTree) statement;
      ExpressionTree condition = ASTHelpers.stripParentheses(ifTree.getCondition());
      if (condition instanceof UnaryTree
          && condition.getKind() == Tree.Kind.LOGICAL_COMPLEMENT
          && ifTree.getElseStatement() == null
          && exits(ifTree.getThenStatement())) {
        ExpressionTree tried = ASTHelpers.stripParentheses(((UnaryTree) condition).getExpression());
        if (isCallNamed(tried, "tryLock") && LOCK_TRY.matches(tried, state)) {
          return with(before, heldLockOfReceiver((MethodInvocationTree) tried));
        }
      }
    }
    return before;
  }

  @Override
  public Void visitIf(IfTree tree, Void unused) {
    scan(tree.getCondition(), null);
    List<HeldLock> tried = new ArrayList<>();
    collectTriedLocks(tree.getCondition(), tried);
    ImmutableList<HeldLock> outer = held;
    try {
      for (HeldLock lock : tried) {
        held = with(held, lock); // inside the success branch of tryLock the lock is held
      }
      scan(tree.getThenStatement(), null);
    } finally {
      held = outer;
    }
    scan(tree.getElseStatement(), null);
    return null;
  }

  /** {@code lock.tryLock()} conjuncts of an if condition: true means the lock was taken. */
  private void collectTriedLocks(ExpressionTree condition, List<HeldLock> into) {
    ExpressionTree tree = ASTHelpers.stripParentheses(condition);
    if (tree.getKind() == Tree.Kind.CONDITIONAL_AND) {
      collectTriedLocks(((BinaryTree) tree).getLeftOperand(), into);
      collectTriedLocks(((BinaryTree) tree).getRightOperand(), into);
    } else if (isCallNamed(tree, "tryLock") && LOCK_TRY.matches(tree, state)) {
      into.add(heldLockOfReceiver((MethodInvocationTree) tree));
    }
  }

  private static boolean exits(StatementTree statement) {
    StatementTree last = statement;
    if (statement instanceof BlockTree) {
      List<? extends StatementTree> statements = ((BlockTree) statement).getStatements();
      if (statements.isEmpty()) {
        return false;
      }
      last = statements.get(statements.size() - 1);
    }
    switch (last.getKind()) {
      case RETURN:
      case THROW:
      case BREAK:
      case CONTINUE:
        return true;
      default:
        return false;
    }
  }

  // ---- calls ----

  @Override
  public Void visitMethodInvocation(MethodInvocationTree tree, Void unused) {
    super.visitMethodInvocation(tree, null);
    Symbol symbol = TreeInfo.symbol((JCTree) tree.getMethodSelect());
    if (!(symbol instanceof MethodSymbol)) {
      return null; // unresolved code, e.g. in an IDE while typing
    }
    MethodSymbol method = (MethodSymbol) symbol;
    Name name = method.getSimpleName();
    boolean lockApiName =
        name.contentEquals("lock")
            || name.contentEquals("lockInterruptibly")
            || name.contentEquals("tryLock")
            || name.contentEquals("unlock");
    if (lockApiName && LOCK_ACQUIRE.matches(tree, state)) {
      HeldLock lock = heldLockOfReceiver(tree);
      body.acquisitions.add(new Acquisition(lock, held));
      acquiredAt.put(tree, lock);
      return null;
    }
    if (lockApiName && (LOCK_TRY.matches(tree, state) || LOCK_RELEASE.matches(tree, state))) {
      return null;
    }
    if (recordBlocking(method, tree, tree.getArguments())) {
      return null;
    }
    ExpressionTree receiver = ASTHelpers.getReceiver(tree);
    boolean viaSuper =
        receiver instanceof IdentifierTree
            && ((IdentifierTree) receiver).getName().contentEquals("super");
    recordCall(method, tree, receiver, viaSuper);
    return null;
  }

  @Override
  public Void visitNewClass(NewClassTree tree, Void unused) {
    super.visitNewClass(tree, null);
    Symbol symbol = ASTHelpers.getSymbol(tree);
    if (symbol instanceof MethodSymbol
        && !recordBlocking((MethodSymbol) symbol, tree, tree.getArguments())) {
      recordCall((MethodSymbol) symbol, tree, null, false);
    }
    return null;
  }

  private void recordCall(
      MethodSymbol method, Tree tree, @Nullable ExpressionTree receiver, boolean viaSuper) {
    boolean virtual =
        !method.isStatic()
            && !method.isConstructor()
            && !viaSuper
            && (method.flags() & (Flags.PRIVATE | Flags.FINAL)) == 0
            && (method.enclClass().flags() & Flags.FINAL) == 0;
    Type receiverType = null;
    if (virtual) {
      receiverType = receiver != null ? ASTHelpers.getType(receiver) : enclosingClass.asType();
    }
    // Only calls made under a lock, or by a constructor, ever ask (and the test is not free).
    boolean onThis =
        (!held.isEmpty() || scanningConstructor)
            && !method.isStatic()
            && (receiver == null
                ? !(tree instanceof NewClassTree)
                    && enclosingClass.isSubClass(method.owner, state.getTypes())
                : isIdentifierNamed(receiver, "this") || isIdentifierNamed(receiver, "super"));
    body.calls.add(
        new CallSite(method, receiverType, virtual, onThis, held, new Site(tree, body)));
  }

  /** Records {@code tree} if the catalog says it blocks; returns whether it did. */
  private boolean recordBlocking(
      MethodSymbol method, Tree tree, List<? extends ExpressionTree> arguments) {
    BlockingMethod blocking = catalog.classify(method, state);
    if (blocking == null
        && tree instanceof MethodInvocationTree
        && catalog.hasEntriesNamed(method, state)) {
      // Only then can the receiver's type make a difference (FileWriter.write is Writer.write).
      blocking =
          catalog.classify(method, ASTHelpers.getReceiverType((ExpressionTree) tree), state);
    }
    if (blocking == null
        || (blocking.category() != BlockingCategory.DECLARED
            && index.isSourceClass(method.enclClass()))) {
      // The catalog speaks for libraries; code compiled here is judged by what its body does.
      return false;
    }
    if (isGetOfACompletedFuture(method, tree)) {
      return true; // a known library call that returns at once here: neither blocking nor followed
    }
    HeldLock releases = null;
    if (tree instanceof MethodInvocationTree) {
      if (isCallNamed(tree, "wait") && OBJECT_WAIT.matches((ExpressionTree) tree, state)) {
        releases = heldLockOfReceiver((MethodInvocationTree) tree);
      } else if (isCallNamed(tree, "timedWait")
          && TIMED_WAIT.matches((ExpressionTree) tree, state)
          && !arguments.isEmpty()) {
        // TimeUnit.timedWait(monitor, timeout) is monitor.wait(...): it releases that monitor.
        releases = heldLock(resolve(arguments.get(0)), tree, arguments.get(0));
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
            releases,
            held,
            new Site(tree, body)));
    return true;
  }

  /**
   * The lock whose {@code newCondition()} made {@code condition}, when it can be traced; else a
   * lock with no name, which still tells that the await releases one of the locks held.
   */
  private HeldLock lockOfCondition(@Nullable ExpressionTree condition, Tree site) {
    if (condition == null) {
      return heldLock(new LockResolver.Resolved(null, null, null, false), site, null);
    }
    ExpressionTree origin = ASTHelpers.stripParentheses(condition);
    Symbol symbol = TreeInfo.symbol((JCTree) origin);
    if (symbol instanceof VarSymbol) {
      ExpressionTree initializer =
          symbol.owner instanceof ClassSymbol
              ? index.fieldInitializer((VarSymbol) symbol)
              : locals().initializer((VarSymbol) symbol);
      if (initializer != null) {
        origin = ASTHelpers.stripParentheses(initializer);
      }
    }
    if (!isCallNamed(origin, "newCondition") || !NEW_CONDITION.matches(origin, state)) {
      // Its lock cannot be traced; it is one of the locks held, as await() requires.
      return heldLock(new LockResolver.Resolved(null, null, null, false), site, condition);
    }
    ExpressionTree lock = ASTHelpers.getReceiver(origin);
    LockResolver.Resolved resolved =
        lock == null ? LockResolver.thisMonitor(enclosingClass) : resolve(lock);
    return heldLock(resolved, site, lock);
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

  // ---- a future known to be complete ----

  /**
   * Whether {@code tree} gets the result of a future under a test that it is complete ({@code if
   * (f.isDone()) return f.get();}, or after {@code if (!f.isDone()) return;}): then it returns at
   * once. The future is the receiver, or the first argument of a static helper
   * ({@code Uninterruptibles.getUninterruptibly(f)}).
   */
  private boolean isGetOfACompletedFuture(MethodSymbol method, Tree tree) {
    if (!(tree instanceof MethodInvocationTree)
        || !RESULT_GETTERS.contains(method.getSimpleName().toString())) {
      return false;
    }
    MethodInvocationTree call = (MethodInvocationTree) tree;
    ExpressionTree future = ASTHelpers.getReceiver(call);
    if (future == null && method.isStatic() && !call.getArguments().isEmpty()) {
      future = call.getArguments().get(0);
    }
    if (future == null) {
      return false;
    }
    String futureText = ASTHelpers.stripParentheses(future).toString();
    Tree child = tree;
    for (TreePath path = getCurrentPath().getParentPath();
        path != null && !isBoundary(path.getLeaf());
        child = path.getLeaf(), path = path.getParentPath()) {
      Tree leaf = path.getLeaf();
      if (leaf instanceof IfTree) {
        IfTree ifTree = (IfTree) leaf;
        if ((child == ifTree.getThenStatement() && impliesComplete(ifTree.getCondition(), futureText, true))
            || (child == ifTree.getElseStatement()
                && impliesComplete(ifTree.getCondition(), futureText, false))) {
          return true;
        }
      } else if (leaf instanceof ConditionalExpressionTree) {
        ConditionalExpressionTree conditional = (ConditionalExpressionTree) leaf;
        if ((child == conditional.getTrueExpression()
                && impliesComplete(conditional.getCondition(), futureText, true))
            || (child == conditional.getFalseExpression()
                && impliesComplete(conditional.getCondition(), futureText, false))) {
          return true;
        }
      } else if (leaf.getKind() == Tree.Kind.CONDITIONAL_AND
          && child == ((BinaryTree) leaf).getRightOperand()
          && impliesComplete(((BinaryTree) leaf).getLeftOperand(), futureText, true)) {
        return true;
      } else if (leaf instanceof BlockTree && isPrecededByExitUnlessComplete((BlockTree) leaf, child, futureText)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isBoundary(Tree tree) {
    return tree instanceof MethodTree || tree instanceof LambdaExpressionTree || tree instanceof ClassTree;
  }

  /** {@code if (!f.isDone()) return;} before {@code statement} in {@code block}. */
  private static boolean isPrecededByExitUnlessComplete(
      BlockTree block, Tree statement, String futureText) {
    for (StatementTree earlier : block.getStatements()) {
      if (earlier == statement) {
        return false;
      }
      if (earlier instanceof IfTree
          && ((IfTree) earlier).getElseStatement() == null
          && exits(((IfTree) earlier).getThenStatement())
          && impliesComplete(((IfTree) earlier).getCondition(), futureText, false)) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code condition} having the value {@code whenTrue} implies the future is complete. */
  private static boolean impliesComplete(ExpressionTree condition, String futureText, boolean whenTrue) {
    ExpressionTree tree = ASTHelpers.stripParentheses(condition);
    switch (tree.getKind()) {
      case LOGICAL_COMPLEMENT:
        return impliesComplete(((UnaryTree) tree).getExpression(), futureText, !whenTrue);
      case CONDITIONAL_AND:
        // true: both operands true; false tells nothing about either.
        return whenTrue
            && (impliesComplete(((BinaryTree) tree).getLeftOperand(), futureText, true)
                || impliesComplete(((BinaryTree) tree).getRightOperand(), futureText, true));
      case CONDITIONAL_OR:
        return !whenTrue
            && (impliesComplete(((BinaryTree) tree).getLeftOperand(), futureText, false)
                || impliesComplete(((BinaryTree) tree).getRightOperand(), futureText, false));
      case METHOD_INVOCATION:
        MethodInvocationTree call = (MethodInvocationTree) tree;
        ExpressionTree receiver = ASTHelpers.getReceiver(call);
        Symbol test = TreeInfo.symbol((JCTree) call.getMethodSelect());
        return whenTrue
            && call.getArguments().isEmpty()
            && receiver != null
            && test != null
            && COMPLETION_TESTS.contains(test.getSimpleName().toString())
            && ASTHelpers.stripParentheses(receiver).toString().equals(futureText);
      default:
        return false;
    }
  }

  // ---- helpers ----

  private static boolean isIdentifierNamed(ExpressionTree tree, String name) {
    ExpressionTree stripped = ASTHelpers.stripParentheses(tree);
    return stripped instanceof IdentifierTree
        && ((IdentifierTree) stripped).getName().contentEquals(name);
  }

  /**
   * Whether a local variable or parameter of the scanned code is assigned after its declaration.
   * Not javac's EFFECTIVELY_FINAL flag: flow analysis sets it, and Hangcheck reads units that javac
   * has attributed but not yet flowed.
   */
  private boolean isReassigned(VarSymbol variable) {
    return locals().isReassigned(variable);
  }

  private LocalVariables locals() {
    if (locals == null) {
      locals = LocalVariables.in(root);
    }
    return locals;
  }

  /**
   * Whether {@code tree} calls a method of that name: a cheap test by name that spares the type
   * matchers on almost every call of a compilation.
   */
  private static boolean isCallNamed(Tree tree, String name) {
    if (!(tree instanceof MethodInvocationTree)) {
      return false;
    }
    ExpressionTree select = ((MethodInvocationTree) tree).getMethodSelect();
    if (select instanceof com.sun.source.tree.MemberSelectTree) {
      return ((com.sun.source.tree.MemberSelectTree) select).getIdentifier().contentEquals(name);
    }
    return select instanceof IdentifierTree && ((IdentifierTree) select).getName().contentEquals(name);
  }

  private LockResolver.Resolved lockOfReceiver(MethodInvocationTree call) {
    ExpressionTree receiver = ASTHelpers.getReceiver(call);
    return receiver == null ? LockResolver.thisMonitor(enclosingClass) : resolve(receiver);
  }

  private LockResolver.Resolved resolve(ExpressionTree expression) {
    return resolver.resolve(expression, enclosingClass, variable -> locals().initializer(variable));
  }

  /** The lock whose method {@code call} calls ({@code lock.lock()}, {@code monitor.wait()}). */
  private HeldLock heldLockOfReceiver(MethodInvocationTree call) {
    return heldLock(lockOfReceiver(call), call, ASTHelpers.getReceiver(call));
  }

  private HeldLock heldLock(
      LockResolver.Resolved resolved, Tree tree, @Nullable ExpressionTree expression) {
    return new HeldLock(
        resolved.id(),
        resolved.expressionKey(),
        resolved.type(),
        resolved.stable(),
        new Site(tree, body),
        expression == null ? null : LockResolver.sourceText(expression),
        resolved.alternatives());
  }

  private static ImmutableList<HeldLock> with(ImmutableList<HeldLock> held, HeldLock lock) {
    return ImmutableList.<HeldLock>builderWithExpectedSize(held.size() + 1)
        .addAll(held)
        .add(lock)
        .build();
  }

  /** {@code held} without the innermost entry that is {@code released}. */
  private ImmutableList<HeldLock> without(
      ImmutableList<HeldLock> held, LockResolver.Resolved released) {
    for (int i = held.size() - 1; i >= 0; i--) {
      HeldLock candidate = held.get(i);
      boolean sameKey =
          released.expressionKey() != null
              && released.expressionKey().equals(candidate.expressionKey());
      boolean sameNode =
          released.expressionKey() == null
              && released.id() != null
              && released.id().equals(candidate.id());
      if (sameKey || sameNode) {
        List<HeldLock> rest = new ArrayList<>(held);
        rest.remove(i);
        return ImmutableList.copyOf(rest);
      }
    }
    return held;
  }
}
