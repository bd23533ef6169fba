package dev.hangcheck.engine;

import static com.google.errorprone.matchers.Matchers.anyOf;
import static com.google.errorprone.matchers.method.MethodMatchers.instanceMethod;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedSet;
import com.google.errorprone.VisitorState;
import com.google.errorprone.matchers.Matcher;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.ClassTree;
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
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.CompletionFailure;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.tree.JCTree;
import com.sun.tools.javac.tree.TreeInfo;
import dev.hangcheck.catalog.BlockingCatalog;
import dev.hangcheck.catalog.ImmediateCallbacks;
import dev.hangcheck.locks.LockId;
import dev.hangcheck.locks.LockName;
import dev.hangcheck.locks.Names;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.lang.model.element.Name;
import org.jspecify.annotations.Nullable;

/**
 * Walks one method (or initializer) once, in source order, carrying the set of locks held, and
 * records into {@link Body} objects what the code does: locks it waits for, calls it makes, calls
 * that block. Deferred lambdas become bodies of their own, entered with no lock held.
 */
final class BodyScanner extends TreePathScanner<Void, Void> {

  private static final String LOCK = "java.util.concurrent.locks.Lock";

  /** Jetty's lock types whose {@code lock()} returns a handle (their conditions: BlockingCalls). */
  static final String JETTY_LOCKER = "org.eclipse.jetty.util.thread.Locker";

  static final String JETTY_AUTO_LOCK = "org.eclipse.jetty.util.thread.AutoLock";

  private static final Matcher<ExpressionTree> LOCK_ACQUIRE =
      instanceMethod().onDescendantOf(LOCK).namedAnyOf("lock", "lockInterruptibly");
  private static final Matcher<ExpressionTree> LOCK_TRY =
      instanceMethod().onDescendantOf(LOCK).named("tryLock");
  private static final Matcher<ExpressionTree> LOCK_RELEASE =
      instanceMethod().onDescendantOf(LOCK).named("unlock");

  /**
   * Calls that take a lock and return a handle whose {@code close()} releases it: the lock is held
   * for the body of a try-with-resources they open ({@code try (Locker.Lock l = locker.lock())}).
   * The lock is the receiver.
   */
  private static final Matcher<ExpressionTree> LOCK_HANDLE =
      anyOf(
          instanceMethod().onDescendantOf(JETTY_LOCKER).namedAnyOf("lock", "lockIfNotHeld"),
          instanceMethod().onDescendantOf(JETTY_AUTO_LOCK).named("lock"),
          instanceMethod().onDescendantOf("org.apache.hadoop.util.AutoCloseableLock").named("acquire"));

  private final SourceIndex index;
  private final VisitorState state;
  private final LockResolver resolver;
  private final BlockingCalls blockingCalls;
  private final ClassSymbol enclosingClass;
  private final List<Body> bodies = new ArrayList<>();
  /** The locks each {@code lock()} call (or lock helper) took, for the statement after. */
  private final Map<Tree, List<HeldLock>> acquiredAt = new HashMap<>();
  /** The locks each call of an unlock helper released, for the statement after. */
  private final Map<Tree, List<LockName>> releasedAt = new HashMap<>();

  private Body body;
  private ImmutableList<HeldLock> held = ImmutableList.of();
  /** Whether the code scanned is a constructor (its own monitor is not contended yet). */
  private boolean scanningConstructor;
  /** The method or initializer being scanned: where its variables can be assigned. */
  private Tree root;
  /** Its local variables, examined only if a lock expression names one. */
  private LocalVariables locals;
  /** The block that is the method's body: the locks held at its end are left held. */
  private @Nullable Tree methodBlock;
  private @Nullable ImmutableList<HeldLock> heldAtEnd;
  /**
   * The families of the locks of the caller released so far: what follows runs without the
   * caller's hold of them ({@code unlock(); try { store(); } finally { lock(); }}). Taking one
   * again makes it this body's own, held from there on like any lock it takes, so it stays here.
   */
  private ImmutableSortedSet<LockId> releasedForCaller = ImmutableSortedSet.of();

  private BodyScanner(
      SourceIndex index,
      VisitorState state,
      BlockingCatalog catalog,
      ClassSymbol enclosingClass,
      @Nullable MethodSymbol method) {
    this.index = index;
    this.state = state;
    this.resolver =
        new LockResolver(
            index,
            state,
            enclosingClass,
            method,
            this::isReassigned,
            (variable, use) -> locals().isReassignedBefore(variable, use),
            variable -> locals().initializer(variable));
    this.enclosingClass = enclosingClass;
    this.blockingCalls =
        new BlockingCalls(
            index,
            state,
            catalog,
            new BlockingCalls.Naming() {
              @Override
              public LockName resolve(ExpressionTree expression) {
                return BodyScanner.this.resolve(expression);
              }

              @Override
              public LockName lockOfReceiver(MethodInvocationTree call) {
                return BodyScanner.this.lockOfReceiver(call);
              }

              @Override
              public HeldLock heldLock(LockName name, Tree tree) {
                return BodyScanner.this.heldLock(name, tree);
              }

              @Override
              public @Nullable ExpressionTree localInitializer(VarSymbol variable) {
                return locals().initializer(variable);
              }
            });
  }

  /** Records what a method or constructor does; returns its body and those of deferred lambdas. */
  static List<Body> scanMethod(
      SourceIndex index, VisitorState state, BlockingCatalog catalog, TreePath methodPath) {
    MethodTree method = (MethodTree) methodPath.getLeaf();
    MethodSymbol symbol = ASTHelpers.getSymbol(method);
    BodyScanner scanner = new BodyScanner(index, state, catalog, symbol.enclClass(), symbol);
    scanner.body =
        new Body(
            Body.Kind.METHOD,
            symbol,
            methodPath,
            index.fileKey(methodPath.getCompilationUnit()),
            () -> Names.methodDisplay(symbol),
            () -> index.suppressions(methodPath));
    scanner.bodies.add(scanner.body);
    scanner.root = method;
    // Locks an annotation says the caller holds (@GuardedBy on a method): held, not taken.
    for (LockName guard : AnnotatedLocks.heldOnEntry(symbol, index)) {
      scanner.held = HeldLocks.with(scanner.held, scanner.heldLock(guard, method));
    }
    // Locks a library holds when it calls this override (a listener), by its summary.
    for (LockName libraryLock : index.heldWhenLibraryCalls(symbol)) {
      scanner.held = HeldLocks.with(scanner.held, scanner.heldLock(libraryLock, method));
    }
    ImmutableList<HeldLock> onEntry = scanner.held;
    if ((symbol.flags() & Flags.SYNCHRONIZED) != 0) {
      LockName monitor =
          symbol.isStatic()
              ? LockResolver.classMonitor(symbol.enclClass())
              : LockResolver.thisMonitor(symbol.enclClass());
      HeldLock lock = scanner.heldLock(monitor, method);
      scanner.body.acquisitions.add(new Acquisition(lock, scanner.held));
      scanner.held = HeldLocks.with(scanner.held, lock);
      onEntry = scanner.held;
    }
    scanner.scanningConstructor = symbol.isConstructor();
    scanner.methodBlock = method.getBody();
    scanner.scan(new TreePath(methodPath, method.getBody()), null);
    scanner.recordLeftHeld(onEntry);
    return scanner.bodies;
  }

  /** Records what an initializer block or a field initializer does. */
  static List<Body> scanInitializer(
      SourceIndex index,
      VisitorState state,
      BlockingCatalog catalog,
      TreePath path,
      ClassSymbol owner) {
    BodyScanner scanner = new BodyScanner(index, state, catalog, owner, null);
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
    if (!(symbol instanceof MethodSymbol method)) {
      return null;
    }
    if (runsNow(getCurrentPath())) {
      recordCall(method, tree, tree.getQualifierExpression(), false);
      return null;
    }
    // Run later, maybe on another thread, like a deferred lambda: a body of its own that makes
    // the one call, entered with no lock held.
    Body outerBody = body;
    ImmutableList<HeldLock> outerHeld = held;
    TreePath referencePath = getCurrentPath();
    body =
        new Body(
            Body.Kind.DEFERRED_LAMBDA,
            null,
            referencePath,
            outerBody.fileKey(),
            () -> "a method reference in " + outerBody.display(),
            () -> index.suppressions(referencePath));
    bodies.add(body);
    held = ImmutableList.of();
    try {
      recordCall(method, tree, tree.getQualifierExpression(), false);
    } finally {
      body = outerBody;
      held = outerHeld;
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
    return call.getArguments().contains(child) && ImmediateCallbacks.runsArgumentsNow(call, state);
  }

  // ---- locks ----

  /** An acquisition here, with the locks held and the guard on the method's parameters. */
  private Acquisition acquisition(HeldLock lock, ImmutableList<HeldLock> heldThere) {
    TreePath path = getCurrentPath();
    return new Acquisition(
        lock, heldThere, releasedForCaller, path == null ? null : ParameterGuard.at(path, body));
  }

  @Override
  public Void visitSynchronized(SynchronizedTree tree, Void unused) {
    scan(tree.getExpression(), null);
    HeldLock lock = heldLock(resolve(tree.getExpression()), tree);
    body.acquisitions.add(acquisition(lock, held));
    ImmutableList<HeldLock> outer = held;
    held = HeldLocks.with(held, lock);
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
      if (tree == methodBlock) {
        heldAtEnd = held;
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
      ImmutableList<HeldLock> after = before;
      for (HeldLock taken : acquiredAt.getOrDefault(expression, List.of())) {
        after = HeldLocks.with(after, taken);
      }
      for (LockName released : releasedAt.getOrDefault(expression, List.of())) {
        after = HeldLocks.without(after, released);
      }
      if (isCallNamed(expression, "unlock") && LOCK_RELEASE.matches(expression, state)) {
        LockName released = lockOfReceiver((MethodInvocationTree) expression);
        after = HeldLocks.without(before, released);
        if (after == before && (released.isRelative() || released.root() == LockName.Root.GLOBAL)) {
          body.released.add(released); // released for the caller: an unlock helper
          if (released.family() != null) {
            releasedForCaller =
                ImmutableSortedSet.<LockId>naturalOrder()
                    .addAll(releasedForCaller)
                    .add(released.family())
                    .build();
          }
        }
      }
      return after;
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
          return HeldLocks.with(before, heldLockOfReceiver((MethodInvocationTree) tried));
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
        held = HeldLocks.with(held, lock); // inside the success branch of tryLock the lock is held
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
    } else if (tree instanceof IdentifierTree) {
      // boolean ok = lock.tryLock(); if (ok) ...
      Symbol variable = ASTHelpers.getSymbol(tree);
      if (variable instanceof VarSymbol
          && !(variable.owner instanceof ClassSymbol)
          && !isReassigned((VarSymbol) variable)) {
        ExpressionTree initializer = locals().initializer((VarSymbol) variable);
        if (initializer != null) {
          collectTriedLocks(initializer, into);
        }
      }
    }
  }

  static boolean exits(StatementTree statement) {
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
      body.acquisitions.add(acquisition(lock, held));
      acquiredAt.put(tree, List.of(lock));
      return null;
    }
    if (lockApiName && (LOCK_TRY.matches(tree, state) || LOCK_RELEASE.matches(tree, state))) {
      return null;
    }
    if (blockingCalls.record(method, tree, tree.getArguments(), getCurrentPath(), held, body)) {
      return null;
    }
    ExpressionTree receiver = ASTHelpers.getReceiver(tree);
    boolean viaSuper =
        receiver instanceof IdentifierTree
            && ((IdentifierTree) receiver).getName().contentEquals("super");
    CallSite call = recordCall(method, tree, receiver, viaSuper);
    if (getCurrentPath().getParentPath().getLeaf() instanceof ExpressionStatementTree) {
      recordLockHelper(call, tree);
    }
    recordSummarizedLocks(call, tree);
    return null;
  }

  /**
   * A call of a method that leaves locks held when it returns ({@code lockRows()}), or releases
   * locks its caller took ({@code unlockRows()}): from the next statement on, the caller holds
   * (or no longer holds) them. A method compiled here says so by its body; one from a jar, by
   * {@code @LockMethod} / {@code @UnlockMethod}.
   */
  private void recordLockHelper(CallSite call, MethodInvocationTree tree) {
    List<LockName> left;
    List<LockName> released;
    Body helper = index.lockHelperBody(call.callee());
    if (helper != null) {
      left = helper.leftHeld;
      released = helper.released;
    } else if (!index.isSourceClass(call.callee().enclClass())) {
      left = AnnotatedLocks.acquiredBy(call.callee(), index);
      released = AnnotatedLocks.releasedBy(call.callee(), index);
    } else {
      return;
    }
    for (LockName name : left) {
      if (isIn(name, released)) {
        continue; // released and taken back: the caller holds it as before the call
      }
      HeldLock lock = heldLock(inCallersTerms(name, call), tree);
      body.acquisitions.add(acquisition(lock, held));
      acquiredAt.computeIfAbsent(tree, k -> new ArrayList<>()).add(lock);
    }
    for (LockName name : released) {
      if (!isIn(name, left)) {
        releasedAt.computeIfAbsent(tree, k -> new ArrayList<>()).add(inCallersTerms(name, call));
      }
    }
  }

  private static boolean isIn(LockName name, List<LockName> names) {
    return names.stream().anyMatch(other -> other.sameObjectAs(name));
  }

  /**
   * The locks a method of a class compiled in an earlier run takes, by its summary: taken (and let
   * go) at the call, in the caller's terms.
   */
  private void recordSummarizedLocks(CallSite call, MethodInvocationTree tree) {
    if (index.isSourceClass(SummaryFormat.topLevelClass(call.callee()))) {
      recordOverridersElsewhere(call, tree);
      return;
    }
    for (SummaryFormat.Acquires acquired : index.librarySummaries().acquisitionsOf(call.callee())) {
      LockName name = inCallersTerms(acquired.lock(), call);
      if (name.family() != null) {
        // Messages show the call's line; say where in the library the lock is taken.
        name =
            name.withText(
                name.family().display()
                    + ", which "
                    + Names.methodDisplay(call.callee())
                    + " takes ("
                    + acquired.origin()
                    + ")");
      }
      HeldLock lock = heldLock(name, tree);
      ImmutableList<HeldLock> there = held;
      if (acquired.holding() != null) {
        there = HeldLocks.with(held, heldLock(inCallersTerms(acquired.holding(), call), tree));
      }
      body.acquisitions.add(acquisition(lock, there));
    }
  }

  /**
   * The locks overrides of the callee take, in classes compiled before and not now (an
   * incremental build compiling the class of {@code listener.onEvent(e)} alone), by the callee's
   * old summary: taken at the call, in the caller's terms.
   */
  private void recordOverridersElsewhere(CallSite call, MethodInvocationTree tree) {
    if (!call.dispatchesVirtually()) {
      return;
    }
    for (SummaryFormat.OverriddenBy override : index.librarySummaries().overridersOf(call.callee())) {
      LockName name = inCallersTerms(override.lock(), call);
      if (name.family() == null) {
        continue;
      }
      name =
          name.withText(
              name.family().display()
                  + ", which "
                  + override.overrider()
                  + " takes ("
                  + override.origin()
                  + ")");
      body.acquisitions.add(acquisition(heldLock(name, tree), held));
    }
  }

  private LockName inCallersTerms(LockName calleeName, CallSite call) {
    return call.inCallersTerms(calleeName, state.getTypes(), index.fieldAliases());
  }

  /** The locks the method holds when it returns that it did not hold on entry. */
  private void recordLeftHeld(ImmutableList<HeldLock> onEntry) {
    if (heldAtEnd == null) {
      return;
    }
    for (HeldLock lock : heldAtEnd) {
      boolean heldBefore = onEntry.stream().anyMatch(entry -> entry.sameObjectAs(lock));
      LockName name = lock.name();
      if (!heldBefore && (name.isRelative() || name.root() == LockName.Root.GLOBAL)) {
        body.leftHeld.add(name);
      }
    }
  }

  /**
   * The implicit {@code close()} of each resource at the end of a try-with-resources block, which
   * blocks for some types ({@code try (var executor = Executors.newFixedThreadPool(4)) {...}}
   * waits for every task on JDK 19+).
   */
  @Override
  public Void visitTry(TryTree tree, Void unused) {
    ImmutableList<HeldLock> atTry = held;
    try {
      for (Tree resource : tree.getResources()) {
        scan(resource, null);
        MethodInvocationTree taking = lockHandleTaken(resource);
        if (taking != null) {
          HeldLock lock = heldLockOfReceiver(taking);
          body.acquisitions.add(acquisition(lock, held));
          held = HeldLocks.with(held, lock);
        }
      }
      scan(tree.getBlock(), null);
    } finally {
      held = atTry;
    }
    scan(tree.getCatches(), null);
    scan(tree.getFinallyBlock(), null);
    for (Tree resource : tree.getResources()) {
      MethodSymbol close = closeMethodOf(ASTHelpers.getType(resource));
      if (close != null) {
        blockingCalls.record(
            close, resource, List.of(), new TreePath(getCurrentPath(), resource), atTry, body);
      }
    }
    return null;
  }

  /** The call a resource is made by when it is the handle of a lock it takes, else null. */
  private @Nullable MethodInvocationTree lockHandleTaken(Tree resource) {
    ExpressionTree made =
        resource instanceof VariableTree variable ? variable.getInitializer()
            : resource instanceof ExpressionTree expression ? expression : null;
    made = made == null ? null : ASTHelpers.stripParentheses(made);
    return made instanceof MethodInvocationTree call && LOCK_HANDLE.matches(call, state)
        ? call
        : null;
  }

  private @Nullable MethodSymbol closeMethodOf(@Nullable Type type) {
    if (type == null || !(type.tsym instanceof ClassSymbol)) {
      return null;
    }
    try {
      for (Type supertype : state.getTypes().closure(type)) {
        for (Symbol member : supertype.tsym.members().getSymbolsByName(state.getNames().close)) {
          if (member instanceof MethodSymbol method && method.getParameters().isEmpty()) {
            return method;
          }
        }
      }
    } catch (CompletionFailure e) {
      // A supertype missing from the classpath: no close() we can name.
    }
    return null;
  }

  @Override
  public Void visitNewClass(NewClassTree tree, Void unused) {
    super.visitNewClass(tree, null);
    Symbol symbol = ASTHelpers.getSymbol(tree);
    if (symbol instanceof MethodSymbol
        && !blockingCalls.record(
            (MethodSymbol) symbol, tree, tree.getArguments(), getCurrentPath(), held, body)) {
      recordCall((MethodSymbol) symbol, tree, null, false);
    }
    return null;
  }

  private CallSite recordCall(
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
    boolean onThis =
        !method.isStatic()
            && (receiver == null
                ? !(tree instanceof NewClassTree)
                    && enclosingClass.isSubClass(method.owner, state.getTypes())
                : isIdentifierNamed(receiver, "this") || isIdentifierNamed(receiver, "super"));
    List<? extends ExpressionTree> arguments =
        tree instanceof MethodInvocationTree
            ? ((MethodInvocationTree) tree).getArguments()
            : tree instanceof NewClassTree ? ((NewClassTree) tree).getArguments() : List.of();
    CallSite call =
        new CallSite(
            method,
            receiverType,
            virtual,
            onThis,
            held,
            releasedForCaller,
            new Site(tree, body),
            ParameterGuard.at(getCurrentPath(), body),
            receiverNamer(method, tree, receiver),
            () -> arguments.stream().map(this::resolve).collect(ImmutableList.toImmutableList()),
            !method.isStatic() && isAnotherObject(receiver)
                ? () -> index.valueFlow().of(receiver)
                : null);
    body.calls.add(call);
    return call;
  }

  /** How the caller names the object a call runs on, when asked: the receiver's lock name. */
  private @Nullable Supplier<LockName> receiverNamer(
      MethodSymbol method, Tree tree, @Nullable ExpressionTree receiver) {
    if (method.isStatic()) {
      return null;
    }
    if (tree instanceof NewClassTree) {
      Type type = ASTHelpers.getType(tree);
      return () ->
          LockName.fresh(LockResolver.allocatedFamily(type), "new " + Names.typeDisplay(type) + "(...)");
    }
    if (tree instanceof MemberReferenceTree) {
      return receiver == null || ASTHelpers.getSymbol(receiver) instanceof Symbol.TypeSymbol
          ? () -> LockName.unknown(null, "?")
          : () -> resolve(receiver);
    }
    if (receiver == null
        || isIdentifierNamed(receiver, "this")
        || isIdentifierNamed(receiver, "super")) {
      if (receiver == null && !enclosingClass.isSubClass(method.owner, state.getTypes())) {
        ClassSymbol outer = (ClassSymbol) method.owner;
        return () ->
            LockResolver.enclosingInstance(enclosingClass, outer, Names.classDisplay(outer) + ".this");
      }
      return () -> LockResolver.thisMonitor(enclosingClass);
    }
    return () -> resolve(receiver);
  }

  // ---- helpers ----

  /** Whether an explicit receiver names an object other than this one (not a type name). */
  private static boolean isAnotherObject(@Nullable ExpressionTree receiver) {
    return receiver != null
        && !isIdentifierNamed(receiver, "this")
        && !isIdentifierNamed(receiver, "super")
        && !(ASTHelpers.getSymbol(receiver) instanceof Symbol.TypeSymbol);
  }

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
  static boolean isCallNamed(Tree tree, String name) {
    if (!(tree instanceof MethodInvocationTree)) {
      return false;
    }
    ExpressionTree select = ((MethodInvocationTree) tree).getMethodSelect();
    if (select instanceof com.sun.source.tree.MemberSelectTree) {
      return ((com.sun.source.tree.MemberSelectTree) select).getIdentifier().contentEquals(name);
    }
    return select instanceof IdentifierTree && ((IdentifierTree) select).getName().contentEquals(name);
  }

  private LockName lockOfReceiver(MethodInvocationTree call) {
    ExpressionTree receiver = ASTHelpers.getReceiver(call);
    return receiver == null ? LockResolver.thisMonitor(enclosingClass) : resolve(receiver);
  }

  private LockName resolve(ExpressionTree expression) {
    if (isIdentifierNamed(expression, "super")) {
      return LockResolver.thisMonitor(enclosingClass);
    }
    return resolver.resolve(expression);
  }

  /** The lock whose method {@code call} calls ({@code lock.lock()}, {@code monitor.wait()}). */
  private HeldLock heldLockOfReceiver(MethodInvocationTree call) {
    return heldLock(lockOfReceiver(call), call);
  }

  private HeldLock heldLock(LockName name, Tree tree) {
    return new HeldLock(name, new Site(tree, body));
  }
}
