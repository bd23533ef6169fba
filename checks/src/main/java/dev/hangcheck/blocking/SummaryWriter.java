package dev.hangcheck.blocking;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.common.collect.ImmutableList;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.TryTree;
import com.sun.source.util.TreeScanner;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.tree.JCTree;
import com.sun.tools.javac.tree.TreeInfo;
import dev.hangcheck.catalog.BlockingCategory;
import dev.hangcheck.engine.BlockingCallSite;
import dev.hangcheck.engine.Body;
import dev.hangcheck.engine.CallSite;
import dev.hangcheck.engine.LibrarySummaries;
import dev.hangcheck.engine.LockSummaries;
import dev.hangcheck.engine.SummaryFormat;
import dev.hangcheck.engine.Site;
import dev.hangcheck.engine.ParameterGuard;
import dev.hangcheck.engine.SourceIndex;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import javax.tools.FileObject;
import javax.tools.JavaFileManager;
import javax.tools.StandardLocation;
import org.jspecify.annotations.Nullable;

/**
 * Writes the summaries of the classes compiled in this run beside their class files, one {@link
 * SummaryFormat} resource per top-level class with something to say (and removes the old one of a
 * class that no longer has): what its methods block on, and (from {@link LockSummaries}) the
 * locks they take and the overridable methods they call holding one. A later run that has these classes on its class path follows its blocking
 * calls into them as if they were in the catalog.
 *
 * <p>Only blocking at most one call below a method is written: a call of the method under a lock
 * then reaches no deeper than BlockingCallUnderLock follows code compiled from source by default
 * (the call, and one more). Deeper chains are mostly paths no execution takes, and they made most
 * of the summaries' size (netty: chains of 24 calls). That bound also keeps the cost small: a
 * syntactic look at every method finds the few that call something that may block, and only they
 * and their callees are analysed.
 */
public final class SummaryWriter {

  private SummaryWriter() {}

  /** A method and the ways it blocks, by category: the shallowest of each. */
  private record Way(String chain, Site origin, BlockingCallSite call, BlockingFact fact) {}

  /**
   * Writes the summaries of every top-level class of {@code index}; does nothing when the run has
   * no class output (javac without {@code -d}).
   */
  public static void write(SourceIndex index, JavaFileManager fileManager) throws IOException {
    if (!fileManager.hasLocation(StandardLocation.CLASS_OUTPUT)) {
      return;
    }
    Map<ClassSymbol, List<JCTree.JCMethodDecl>> methodsByClass = new LinkedHashMap<>();
    Map<MethodSymbol, Set<MethodSymbol>> callsBy = new IdentityHashMap<>();
    Set<MethodSymbol> blockByThemselves = new HashSet<>();
    for (var unit : index.units()) {
      for (var declaration : unit.getTypeDecls()) {
        if (declaration instanceof JCTree.JCClassDecl cls && cls.sym != null) {
          List<JCTree.JCMethodDecl> methods = new ArrayList<>();
          members(cls, methods);
          methodsByClass.put(cls.sym, methods);
          for (JCTree.JCMethodDecl method : methods) {
            look(method, index, callsBy, blockByThemselves);
          }
        }
      }
    }
    // A call of a method may run any of its overrides: it may block if one of them does.
    Set<MethodSymbol> callsThatMayBlock = new HashSet<>(blockByThemselves);
    for (MethodSymbol blocking : blockByThemselves) {
      callsThatMayBlock.addAll(ASTHelpers.findSuperMethods(blocking, index.types()));
    }
    Map<ClassSymbol, LockSummaries.OfClass> locks = LockSummaries.of(index);
    Set<String> sourceNames = new HashSet<>();
    methodsByClass.keySet().forEach(cls -> sourceNames.add(cls.flatName().toString()));
    // Many classes name the same few targets: each is looked up in the output once.
    Map<String, Boolean> inOutput = new java.util.HashMap<>();
    for (Map.Entry<ClassSymbol, List<JCTree.JCMethodDecl>> cls : methodsByClass.entrySet()) {
      List<SummaryFormat.Blocking> entries = new ArrayList<>();
      for (JCTree.JCMethodDecl method : cls.getValue()) {
        boolean mayBlock =
            blockByThemselves.contains(method.sym)
                || callsBy.getOrDefault(method.sym, Set.of()).stream().anyMatch(callsThatMayBlock::contains);
        if (mayBlock && SummaryFormat.isVisibleOutsideItsPackage(method.sym)) {
          Body body = index.bodyOf(method.sym);
          if (body != null && isFollowed(body)) {
            entries.addAll(entriesOf(body, method.sym, index));
          }
        }
      }
      LockSummaries.OfClass lockFacts =
          locks.getOrDefault(cls.getKey(), new LockSummaries.OfClass());
      // What other classes not compiled now gave the old summary stays until they are.
      LibrarySummaries.Contributed kept = index.librarySummaries().contributedTo(cls.getKey());
      SummaryFormat.Summary summary =
          new SummaryFormat.Summary(
              ImmutableList.copyOf(entries),
              ImmutableList.copyOf(lockFacts.acquires()),
              ImmutableList.<SummaryFormat.CalledUnder>builder()
                  .addAll(lockFacts.calledUnder())
                  .addAll(kept.allCalledUnder())
                  .build(),
              ImmutableList.<SummaryFormat.OverriddenBy>builder()
                  .addAll(lockFacts.overriddenBy())
                  .addAll(kept.allOverriddenBy())
                  .build(),
              // Only the classes whose summaries a later run may rewrite: those of this output.
              lockFacts.contributesTo().stream()
                  .filter(
                      name ->
                          sourceNames.contains(name)
                              || inOutput.computeIfAbsent(
                                  name, n -> inThisOutput(index, fileManager, n)))
                  .collect(ImmutableList.toImmutableList()));
      if (summary.isEmpty()) {
        deleteOld(fileManager, cls.getKey());
      } else {
        writeFile(fileManager, cls.getKey(), SummaryFormat.text(summary));
      }
    }
    refreshOthers(index, fileManager, methodsByClass.keySet(), locks);
  }

  /**
   * The summaries in this run's output of classes it does not compile (an incremental build) that
   * its classes gave facts to, before or now: their facts from those classes are replaced by what
   * the sources say now, so that none outlives the code. A summary in a jar or another module's
   * output is not this run's to change.
   */
  private static void refreshOthers(
      SourceIndex index,
      JavaFileManager fileManager,
      Set<ClassSymbol> compiled,
      Map<ClassSymbol, LockSummaries.OfClass> locks)
      throws IOException {
    Set<String> compiledNames = new java.util.TreeSet<>();
    Set<String> targets = new java.util.TreeSet<>();
    for (ClassSymbol cls : compiled) {
      compiledNames.add(cls.flatName().toString());
      targets.addAll(index.librarySummaries().previousTargetsOf(cls));
      LockSummaries.OfClass facts = locks.get(cls);
      if (facts != null) {
        targets.addAll(facts.contributesTo());
      }
    }
    for (String name : targets) {
      ClassSymbol target = index.librarySummaries().classNamed(name);
      if (target == null || index.isSourceClass(target)) {
        continue;
      }
      SummaryFormat.Summary old =
          readOutput(fileManager, target, index.librarySummaries()::classNamed);
      if (old == null) {
        continue;
      }
      LockSummaries.OfClass now = locks.getOrDefault(target, new LockSummaries.OfClass());
      SummaryFormat.Summary refreshed =
          new SummaryFormat.Summary(
              old.blocking(),
              old.acquires(),
              keptThenNow(
                  old.calledUnder(),
                  SummaryFormat.CalledUnder::callerClass,
                  compiledNames,
                  now.calledUnder()),
              keptThenNow(
                  old.overriddenBy(),
                  SummaryFormat.OverriddenBy::overriderClass,
                  compiledNames,
                  now.overriddenBy()),
              old.contributesTo());
      String text = SummaryFormat.text(refreshed);
      if (!text.equals(SummaryFormat.text(old))) {
        writeFile(fileManager, target, text);
      }
    }
  }

  /**
   * The facts an old summary got from classes not compiled now, then this run's: a class compiled
   * again says anew what it does with the summarised one.
   */
  private static <T> ImmutableList<T> keptThenNow(
      List<T> old, Function<T, String> fromClass, Set<String> compiledNames, List<T> now) {
    return ImmutableList.<T>builder()
        .addAll(
            old.stream().filter(entry -> !compiledNames.contains(fromClass.apply(entry))).toList())
        .addAll(now)
        .build();
  }

  /** Whether the class of {@code name}, not compiled now, has its summary in this run's output. */
  private static boolean inThisOutput(SourceIndex index, JavaFileManager fileManager, String name) {
    ClassSymbol cls = index.librarySummaries().classNamed(name);
    return cls != null && SummaryFormat.file(fileManager, StandardLocation.CLASS_OUTPUT, cls) != null;
  }

  /** The summary of {@code cls} in this run's output, or null (none, or not one of this version). */
  private static SummaryFormat.@Nullable Summary readOutput(
      JavaFileManager fileManager,
      ClassSymbol cls,
      java.util.function.Function<String, @Nullable ClassSymbol> classNamed) {
    FileObject file = SummaryFormat.file(fileManager, StandardLocation.CLASS_OUTPUT, cls);
    try {
      return file == null ? null : SummaryFormat.read(file, classNamed);
    } catch (IOException | SummaryFormat.MalformedSummaryException e) {
      return null;
    }
  }

  /** The methods with a body of a class and of its member classes (not local or anonymous ones). */
  private static void members(JCTree.JCClassDecl cls, List<JCTree.JCMethodDecl> methods) {
    for (JCTree member : cls.defs) {
      if (member instanceof JCTree.JCClassDecl nested && nested.sym != null) {
        members(nested, methods);
      } else if (member instanceof JCTree.JCMethodDecl method
          && method.sym != null
          && method.getBody() != null) {
        methods.add(method);
      }
    }
  }

  /**
   * A syntactic look at one method (its lambdas and local classes included, which may run in
   * it): whether it calls something that may block by itself, and the methods of this
   * compilation it calls.
   */
  private static void look(
      JCTree.JCMethodDecl method,
      SourceIndex index,
      Map<MethodSymbol, Set<MethodSymbol>> callsBy,
      Set<MethodSymbol> blockByThemselves) {
    Set<MethodSymbol> called = new HashSet<>();
    new TreeScanner<Void, Void>() {
      @Override
      public Void visitMethodInvocation(MethodInvocationTree tree, Void unused) {
        called(TreeInfo.symbol((JCTree) tree.getMethodSelect()), ASTHelpers.getReceiverType(tree));
        return super.visitMethodInvocation(tree, null);
      }

      @Override
      public Void visitNewClass(NewClassTree tree, Void unused) {
        called(((JCTree.JCNewClass) tree).constructor, null);
        return super.visitNewClass(tree, null);
      }

      @Override
      public Void visitTry(TryTree tree, Void unused) {
        if (!tree.getResources().isEmpty()) {
          blockByThemselves.add(method.sym); // an implicit close() may wait
        }
        return super.visitTry(tree, null);
      }

      private void called(Symbol symbol, @Nullable Type receiverType) {
        if (!(symbol instanceof MethodSymbol callee)) {
          return;
        }
        if (index.isSourceClass(SummaryFormat.topLevelClass(callee))) {
          called.add(callee);
        }
        if (index.mayBlockByItself(callee, callee.isStatic() ? null : receiverType)) {
          blockByThemselves.add(method.sym); // also @Blocking methods of this compilation
        }
      }
    }.scan(method.getBody(), null);
    if (!called.isEmpty()) {
      callsBy.put(method.sym, called);
    }
  }

  private static boolean isFollowed(Body body) {
    return !body.isSuppressed(UnderLockAnalysis.CHECK_NAME)
        && !body.isSuppressed(NonBlockingAnalysis.CHECK_NAME);
  }

  /**
   * One entry per category: the way the method blocks with the fewest calls, in its own body or
   * in a method it calls. Left out: waits that release a lock the caller holds, and blocking that
   * only some classes of the method's own object reach; what they mean depends on the caller,
   * which a summary does not know.
   */
  private static List<SummaryFormat.Blocking> entriesOf(
      Body body, MethodSymbol method, SourceIndex index) {
    Map<BlockingCategory, Way> ways = new EnumMap<>(BlockingCategory.class);
    BlockingFact.direct(body)
        .forEach(
            (fact, site) -> {
              BlockingCallSite call = BlockingFact.callAt(site);
              ways.putIfAbsent(fact.category(), new Way(call.callDisplay(), site, call, fact));
            });
    for (CallSite call : body.calls()) {
      for (Body callee : index.targets(call, SummaryWriter::isFollowed)) {
        for (Map.Entry<BlockingFact, Site> own : BlockingFact.direct(callee).entrySet()) {
          BlockingFact seen = BlockingFact.throughCall(call, callee, own.getKey(), index);
          if (seen != null && !ways.containsKey(seen.category())) {
            BlockingCallSite blocking = BlockingFact.callAt(own.getValue());
            ways.put(
                seen.category(),
                new Way(callee.display() + " -> " + blocking.callDisplay(), own.getValue(), blocking, seen));
          }
        }
      }
    }
    String key = SummaryFormat.methodKey(method, index.types());
    List<SummaryFormat.Blocking> entries = new ArrayList<>();
    for (Way way : ways.values()) {
      BlockingFact fact = way.fact();
      if (fact.releasesCallerLock() || fact.thisClass() != null) {
        continue;
      }
      ParameterGuard.Condition guard = recordedGuard(fact);
      entries.add(
          new SummaryFormat.Blocking(
              key,
              fact.category(),
              guard == null ? -1 : guard.parameter(),
              guard != null && guard.required(),
              way.chain(),
              way.origin().fileAndLine(),
              way.call().timeoutIsConstant() ? way.call().timeout() : null));
    }
    return entries;
  }

  /**
   * The guard a summary keeps: one condition on a boolean parameter. Others are left out, which
   * makes the summary say the method may block whatever its arguments (never less than it does).
   */
  private static ParameterGuard.@Nullable Condition recordedGuard(BlockingFact fact) {
    return fact.guard() != null && fact.guard().isOneBooleanCondition()
        ? fact.guard().conditions().get(0)
        : null;
  }

  /**
   * Removes the summary an earlier build wrote for a class that no longer blocks (an incremental
   * build recompiling it into the same directory), so that it does not outlive the code.
   */
  private static void deleteOld(JavaFileManager fileManager, ClassSymbol cls) {
    FileObject old = SummaryFormat.file(fileManager, StandardLocation.CLASS_OUTPUT, cls);
    try {
      if (old != null) {
        old.delete();
      }
    } catch (UnsupportedOperationException e) {
      // A file manager that cannot look into its output has no old summary to leave behind.
    }
  }

  private static void writeFile(JavaFileManager fileManager, ClassSymbol cls, String text)
      throws IOException {
    FileObject file =
        fileManager.getFileForOutput(
            StandardLocation.CLASS_OUTPUT, SummaryFormat.resourcePackage(cls), SummaryFormat.resourceName(cls), null);
    try (OutputStream out = file.openOutputStream()) {
      out.write(text.getBytes(UTF_8));
    }
  }
}
