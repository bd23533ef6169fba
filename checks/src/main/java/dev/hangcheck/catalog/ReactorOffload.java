package dev.hangcheck.catalog;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import com.google.errorprone.VisitorState;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.tools.javac.api.JavacTrees;
import com.sun.tools.javac.code.Flags;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Symbol.VarSymbol;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.util.Context;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Whether a Reactor operator's function runs on a scheduler made for blocking work: the documented
 * way to call blocking code from a reactive pipeline is {@code
 * Mono.fromCallable(() -> blocking()).subscribeOn(Schedulers.boundedElastic())}, or a {@code
 * publishOn(Schedulers.boundedElastic())} upstream of the operator.
 *
 * <p>The chain is read as written: the receivers of the operator's call upstream (through local
 * variables initialised once), the calls made on its result downstream. The nearest {@code
 * publishOn} upstream decides where the function runs; without one, a {@code subscribeOn} anywhere
 * in the chain moves the subscription, and with it a synchronous source's work, to its scheduler.
 */
public final class ReactorOffload {

  /**
   * The schedulers of {@code reactor.core.scheduler.Schedulers} whose threads must not block
   * (Reactor's own BlockHound integration marks them so); the others ({@code boundedElastic},
   * {@code fromExecutorService}, ...) are made for blocking work.
   */
  private static final ImmutableSet<String> NON_BLOCKING_SCHEDULER_FACTORIES =
      ImmutableSet.of("parallel", "newParallel", "single", "newSingle", "immediate");

  private static final int MAX_LOCAL_HOPS = 8;

  private final ImmutableList<MethodRef> userSchedulers;

  /** The compilation {@link #callers} belong to; they are dropped when another asks. */
  private @Nullable Context context;

  /**
   * The calls of the compilation's methods that return a {@code Mono} or {@code Flux}, by method:
   * a chain a method returns runs where its callers subscribe it.
   */
  private Map<MethodSymbol, List<TreePath>> callers = Map.of();

  /**
   * @param userSchedulers more schedulers made for blocking ({@code
   *     -XepOpt:Hangcheck:BlockingSchedulers}): {@code Type#member}, a method returning one or a
   *     field holding one
   */
  public ReactorOffload(ImmutableList<MethodRef> userSchedulers) {
    this.userSchedulers = userSchedulers;
  }

  /**
   * Looks once at the whole compilation for the calls of methods that return a reactive type, so
   * that a chain returned by a helper counts as offloaded when every caller subscribes it on a
   * blocking scheduler ({@code load().subscribeOn(Schedulers.boundedElastic())}).
   */
  void prepare(Collection<? extends CompilationUnitTree> units, VisitorState state) {
    context = state.context;
    Map<MethodSymbol, List<TreePath>> found = new HashMap<>();
    TreePathScanner<Void, Void> scanner =
        new TreePathScanner<>() {
          @Override
          public Void visitMethodInvocation(MethodInvocationTree tree, Void unused) {
            MethodSymbol method = ASTHelpers.getSymbol(tree);
            if (method != null && FrameworkHandoffs.isMonoOrFlux(method.getReturnType())) {
              found.computeIfAbsent(method, m -> new ArrayList<>()).add(getCurrentPath());
            }
            return super.visitMethodInvocation(tree, null);
          }
        };
    for (CompilationUnitTree unit : units) {
      scanner.scan(new TreePath(unit), null);
    }
    callers = found;
  }

  /** Whether the functions given to the operator call at {@code callPath} run on a blocking scheduler. */
  boolean isOffloaded(TreePath callPath, VisitorState state) {
    if (!(callPath.getLeaf() instanceof MethodInvocationTree call)) {
      return false;
    }
    boolean subscribedOnBlocking = false;
    // Upstream: the receivers of the call, nearest first.
    ExpressionTree upstream = ASTHelpers.getReceiver(call);
    for (int hops = 0; upstream != null && hops < MAX_LOCAL_HOPS; ) {
      ExpressionTree expression = ASTHelpers.stripParentheses(upstream);
      if (expression instanceof MethodInvocationTree operator) {
        String name = nameOf(operator);
        if (name.equals("publishOn")) {
          return isBlockingScheduler(firstArgument(operator), callPath, state);
        }
        if (name.equals("subscribeOn")) {
          subscribedOnBlocking |= isBlockingScheduler(firstArgument(operator), callPath, state);
        }
        upstream = ASTHelpers.getReceiver(operator);
      } else if (expression instanceof IdentifierTree
          && ASTHelpers.getSymbol(expression) instanceof VarSymbol local
          && !(local.owner instanceof ClassSymbol)
          && (local.flags() & (Flags.FINAL | Flags.EFFECTIVELY_FINAL)) != 0) {
        upstream = FrameworkHandoffs.initializerOf(local, callPath, state);
        hops++;
      } else {
        break;
      }
    }
    if (subscribedOnBlocking) {
      return true;
    }
    return subscribesOnBlockingDownstream(callPath, callPath, state, 0);
  }

  /**
   * Whether an operator applied to the result of the expression at {@code path}, or to a local
   * variable it initialises, is a {@code subscribeOn} of a blocking scheduler.
   */
  private boolean subscribesOnBlockingDownstream(
      TreePath path, TreePath from, VisitorState state, int hops) {
    TreePath current = path;
    while (true) {
      TreePath parent = current.getParentPath();
      while (parent != null && parent.getLeaf() instanceof ParenthesizedTree) {
        current = parent;
        parent = parent.getParentPath();
      }
      if (parent != null && parent.getLeaf() instanceof ReturnTree && hops < MAX_LOCAL_HOPS) {
        return returnedToOffloadingCallers(parent, from, state, hops);
      }
      if (parent != null
          && parent.getLeaf() instanceof VariableTree variable
          && variable.getInitializer() == current.getLeaf()
          && hops < MAX_LOCAL_HOPS) {
        VarSymbol local = ASTHelpers.getSymbol(variable);
        return local != null
            && (local.flags() & (Flags.FINAL | Flags.EFFECTIVELY_FINAL)) != 0
            && usesOf(local, from).stream()
                .anyMatch(use -> subscribesOnBlockingDownstream(use, from, state, hops + 1));
      }
      if (parent == null
          || !(parent.getLeaf() instanceof MemberSelectTree select)
          || select.getExpression() != current.getLeaf()
          || parent.getParentPath() == null
          || !(parent.getParentPath().getLeaf() instanceof MethodInvocationTree operator)
          || operator.getMethodSelect() != select) {
        return false;
      }
      if (nameOf(operator).equals("subscribeOn")
          && isBlockingScheduler(firstArgument(operator), from, state)) {
        return true;
      }
      current = parent.getParentPath();
    }
  }

  /**
   * A chain returned by a method: offloaded when the method has callers in the compilation and
   * every one of them applies a {@code subscribeOn} of a blocking scheduler to the result.
   */
  private boolean returnedToOffloadingCallers(
      TreePath returnPath, TreePath from, VisitorState state, int hops) {
    TreePath enclosing = returnPath.getParentPath();
    while (enclosing != null
        && !(enclosing.getLeaf() instanceof MethodTree)
        && !(enclosing.getLeaf() instanceof LambdaExpressionTree)) {
      enclosing = enclosing.getParentPath();
    }
    if (enclosing == null
        || !(enclosing.getLeaf() instanceof MethodTree method)
        || state.context != context) {
      return false;
    }
    List<TreePath> calls = callers.getOrDefault(ASTHelpers.getSymbol(method), List.of());
    return !calls.isEmpty()
        && calls.stream()
            .allMatch(call -> subscribesOnBlockingDownstream(call, call, state, hops + 1));
  }

  /** The places a local variable is read, in the method around {@code from}. */
  private static List<TreePath> usesOf(VarSymbol local, TreePath from) {
    TreePath method = from;
    while (method != null && !(method.getLeaf() instanceof MethodTree)) {
      method = method.getParentPath();
    }
    List<TreePath> uses = new ArrayList<>();
    if (method == null) {
      return uses;
    }
    new TreePathScanner<Void, Void>() {
      @Override
      public Void visitIdentifier(IdentifierTree tree, Void unused) {
        if (ASTHelpers.getSymbol(tree) == local) {
          uses.add(getCurrentPath());
        }
        return null;
      }
    }.scan(method, null);
    return uses;
  }

  /**
   * Whether work moved to {@code scheduler} may block there: yes for the schedulers made for
   * blocking and those of {@code -XepOpt:Hangcheck:BlockingSchedulers}, no for the ones made not
   * to ({@code parallel()}, {@code single()}, {@code immediate()}); a scheduler that cannot be
   * told counts as one the code chose for its blocking work, which is what moving work is for.
   */
  private boolean isBlockingScheduler(
      @Nullable ExpressionTree scheduler, TreePath from, VisitorState state) {
    for (int hops = 0; scheduler != null && hops < MAX_LOCAL_HOPS; hops++) {
      ExpressionTree expression = ASTHelpers.stripParentheses(scheduler);
      Symbol symbol = ASTHelpers.getSymbol(expression);
      if (symbol == null) {
        return true;
      }
      if (isUserScheduler(symbol, state)) {
        return true;
      }
      if (symbol instanceof MethodSymbol method
          && method.owner.getQualifiedName().contentEquals("reactor.core.scheduler.Schedulers")) {
        return !NON_BLOCKING_SCHEDULER_FACTORIES.contains(method.getSimpleName().toString());
      }
      ExpressionTree value = valueOf(symbol, from, state);
      if (value == null) {
        return true;
      }
      scheduler = value;
    }
    return true;
  }

  /**
   * What a variable or a method gives, when the code shows it: a final variable's value, a field's
   * initializer (for one a setter may change too, the default the code was written for), the one
   * {@code return} of a method no override replaces.
   */
  private static @Nullable ExpressionTree valueOf(
      Symbol symbol, TreePath from, VisitorState state) {
    if (symbol instanceof VarSymbol variable) {
      boolean known =
          (variable.flags() & (Flags.FINAL | Flags.EFFECTIVELY_FINAL)) != 0
              || variable.owner instanceof ClassSymbol;
      return known ? FrameworkHandoffs.initializerOf(variable, from, state) : null;
    }
    if (symbol instanceof MethodSymbol method
        && (method.isStatic()
            || (method.flags() & (Flags.PRIVATE | Flags.FINAL)) != 0
            || (method.enclClass().flags() & Flags.FINAL) != 0)) {
      try {
        Tree declaration = JavacTrees.instance(state.context).getTree(method);
        if (declaration instanceof MethodTree tree
            && tree.getBody() != null
            && tree.getBody().getStatements().size() == 1
            && tree.getBody().getStatements().get(0) instanceof ReturnTree only) {
          return only.getExpression();
        }
      } catch (RuntimeException e) {
        return null; // not a source method
      }
    }
    return null;
  }

  private boolean isUserScheduler(Symbol symbol, VisitorState state) {
    if (!(symbol.owner instanceof ClassSymbol owner)) {
      return false;
    }
    for (MethodRef ref : userSchedulers) {
      if (symbol.getSimpleName().contentEquals(ref.methodName())
          && BlockingCatalog.isSameOrSubtype(owner, ref.typeName(), state.getTypes())) {
        return true;
      }
    }
    return false;
  }

  private static String nameOf(MethodInvocationTree call) {
    Symbol symbol = ASTHelpers.getSymbol(call);
    return symbol == null ? "" : symbol.getSimpleName().toString();
  }

  private static @Nullable ExpressionTree firstArgument(MethodInvocationTree call) {
    return call.getArguments().isEmpty() ? null : call.getArguments().get(0);
  }
}
