package dev.hangcheck.engine;

import com.google.common.collect.ImmutableList;
import com.google.errorprone.VisitorState;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.tools.javac.code.Flags;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symtab;
import com.sun.tools.javac.comp.AttrContext;
import com.sun.tools.javac.comp.Enter;
import com.sun.tools.javac.comp.Env;
import com.sun.tools.javac.tree.JCTree;
import com.sun.tools.javac.processing.JavacProcessingEnvironment;
import com.sun.tools.javac.util.Context;
import com.sun.tools.javac.util.Log;
import dev.hangcheck.catalog.BlockingCatalog;
import dev.hangcheck.catalog.NonBlockingContexts;
import dev.hangcheck.config.HangcheckConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import javax.lang.model.util.Elements;
import javax.tools.Diagnostic;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import org.jspecify.annotations.Nullable;

/**
 * The analysis state of one javac run, shared by every Hangcheck check: the source index (what
 * every body does) is built once, on the first check's first callback, from every compilation
 * unit javac has attributed; each check's findings are computed once from it.
 *
 * <p>Under {@code -XDcompilePolicy=simple} every unit is attributed before the first callback, so
 * the first index sees the whole compilation. Under another policy the index holds what is
 * attributed so far and is rebuilt when a unit it lacks comes up: less is found, nothing breaks.
 */
public final class HangcheckEngine {

  private static final Context.Key<HangcheckEngine> KEY = new Context.Key<>();

  /** Set to {@code true} (tests do) to let internal errors fail the compilation. */
  public static final String FAIL_ON_INTERNAL_ERROR_PROPERTY = "hangcheck.failOnInternalError";

  /**
   * Set to {@code true} ({@code javac -J-Dhangcheck.timing=true}) to print, when the JVM exits,
   * the CPU time Hangcheck spent: the benchmarks read it, since the difference of two noisy wall
   * times is a poor measure of a small cost.
   */
  public static final String TIMING_PROPERTY = "hangcheck.timing";

  private final Context context;
  private final HangcheckConfig config;
  private final BlockingCatalog catalog;
  private final NonBlockingContexts nonBlockingContexts;
  private final boolean failOnInternalError = Boolean.getBoolean(FAIL_ON_INTERNAL_ERROR_PROPERTY);
  private final Map<String, Findings> findingsByCheck = new HashMap<>();
  private final Map<String, Integer> unitsServed = new HashMap<>();
  private CompilationUnitTree firstUnitServed;
  private final CpuTimer timer = CpuTimer.create(Boolean.getBoolean(TIMING_PROPERTY));
  private SourceIndex index;
  private LibrarySummaries librarySummaries;
  private final Map<String, AfterIndex> afterIndex = new LinkedHashMap<>();
  private final @Nullable SarifLog sarif;

  /** Work done with each index once it is built (writing summaries). */
  public interface AfterIndex {
    void run(SourceIndex index, JavaFileManager fileManager) throws IOException;
  }
  private boolean internalErrorNoted;

  private HangcheckEngine(Context context, HangcheckConfig config) {
    this.context = context;
    this.config = config;
    this.catalog = config.blockingCatalog();
    this.nonBlockingContexts = config.nonBlockingContexts();
    this.sarif =
        config.sarifPath() == null
            ? null
            : new SarifLog(Path.of(config.sarifPath()), Path.of(System.getProperty("user.dir")));
  }

  /**
   * Tells the SARIF report (if one is written) how to describe {@code check}: its summary and the
   * level its findings have in this run ({@code error}, {@code warning}, {@code note}).
   */
  public void describeCheck(String check, String summary, String level) {
    if (sarif != null) {
      sarif.describe(new SarifLog.Rule(check, summary, level));
    }
  }

  /**
   * A diagnostic of {@code check} that is no finding of an analysis (a declaration it cannot
   * use), for the SARIF report.
   */
  public void recordDiagnostic(
      String check, CompilationUnitTree unit, com.sun.source.tree.Tree tree, String message) {
    if (sarif != null) {
      sarif.recordAt(check, unit, tree, message);
      if (sarif.written()) {
        writeSarif();
      }
    }
  }

  /** The engine of the javac run {@code state} belongs to. */
  public static HangcheckEngine instance(VisitorState state) {
    HangcheckEngine engine = state.context.get(KEY);
    if (engine == null) {
      engine =
          new HangcheckEngine(
              state.context, HangcheckConfig.fromFlags(state.errorProneOptions().getFlags()));
      state.context.put(KEY, engine);
    }
    return engine;
  }

  public HangcheckConfig config() {
    return config;
  }

  public BlockingCatalog catalog() {
    return catalog;
  }

  /** Which methods must not block; memoized for the whole run. */
  public NonBlockingContexts nonBlockingContexts() {
    return nonBlockingContexts;
  }

  /**
   * The findings of {@code check} in {@code unit}, computing the check's findings for the whole
   * compilation on first use. Never throws: a failure leaves the check silent for this run.
   */
  public ImmutableList<Finding> findings(
      String check,
      CompilationUnitTree unit,
      VisitorState state,
      Function<SourceIndex, Findings> analysis) {
    if (declaresNoClass(unit)) {
      // package-info.java, module-info.java: nothing to report, and no reason to rebuild the
      // index, which holds only units that declare classes.
      return ImmutableList.of();
    }
    long start = timer.start();
    try {
      SourceIndex current = indexFor(unit, state);
      Findings findings = findingsByCheck.get(check);
      if (findings == null) {
        long analysisStart = timer.start();
        findings = analysis.apply(current);
        timer.stop(check, analysisStart);
        findingsByCheck.put(check, findings);
        if (findings.isIncomplete()) {
          noteOnce(
              "Hangcheck: "
                  + check
                  + " stopped analysing this compilation after its work budget ("
                  + WorkBudget.PROPERTY
                  + "); it reports what it found until then.");
        }
        if (findings.note() != null) {
          noteOnce(findings.note());
        }
      }
      ImmutableList<Finding> inUnit = findings.in(unit);
      if (sarif != null) {
        sarif.record(check, unit, inUnit);
      }
      boolean complete = noteServed(check, unit);
      if (sarif != null && (complete || current.units().size() <= 1)) {
        writeSarif();
      }
      return inUnit;
    } catch (RuntimeException | StackOverflowError e) {
      if (failOnInternalError) {
        throw e;
      }
      noteInternalError(state, check + " could not analyse this compilation", e);
      findingsByCheck.put(check, new Findings());
      return ImmutableList.of();
    } catch (OutOfMemoryError e) {
      // Drop everything Hangcheck holds so that javac can finish the build.
      index = null;
      findingsByCheck.clear();
      findingsByCheck.put(check, new Findings());
      noteOnce(
          "Hangcheck: "
              + check
              + " ran out of memory analysing this compilation and reports nothing; give javac"
              + " more heap (-J-Xmx) or lower -D"
              + WorkBudget.PROPERTY
              + ".");
      return ImmutableList.of();
    } finally {
      timer.stop("total", start);
    }
  }

  /**
   * Once every check has been served every unit, the index and the findings are dropped: javac
   * keeps its trees until it generates code, and the summaries need not outlive the checks. The
   * checks that run are those served the first unit (Error Prone runs every check on a unit before
   * the next); with a single unit that set is never known to be complete, and nothing is dropped.
   */
  private void writeSarif() {
    write(config.sarifPath(), sarif::write);
  }

  /** Writing a file: what the file system refuses is a note and the build goes on. */
  private interface FileWork {
    void run() throws IOException;
  }

  /**
   * Runs {@code work}, which writes {@code what}. A refusal of the file system is a note, in
   * tests too; a failure of Hangcheck's own is one unless tests ask for it to fail the build.
   */
  private void write(String what, FileWork work) {
    try {
      work.run();
    } catch (IOException e) {
      noteOnce("Hangcheck: could not write " + what + " (" + e + ").");
    } catch (RuntimeException e) {
      if (failOnInternalError) {
        throw new IllegalStateException(what, e);
      }
      noteOnce("Hangcheck: could not write " + what + " (" + e + ").");
    }
  }

  /** @return whether every check has now been served every unit */
  private boolean noteServed(String check, CompilationUnitTree unit) {
    if (firstUnitServed == null) {
      firstUnitServed = unit;
    }
    unitsServed.merge(check, 1, Integer::sum);
    int units = index.units().size();
    if (units > 1
        && unit != firstUnitServed
        && unitsServed.values().stream().allMatch(served -> served >= units)) {
      index = null;
      findingsByCheck.clear();
      unitsServed.clear();
      firstUnitServed = null;
      return true;
    }
    return false;
  }

  private static boolean declaresNoClass(CompilationUnitTree unit) {
    for (com.sun.source.tree.Tree declaration : unit.getTypeDecls()) {
      if (declaration instanceof com.sun.source.tree.ClassTree) {
        return false;
      }
    }
    return true;
  }

  private SourceIndex indexFor(CompilationUnitTree unit, VisitorState state) {
    if (index == null || !index.contains(unit)) {
      long start = timer.start();
      index =
          SourceIndex.build(
              attributedUnits(unit),
              state,
              catalog,
              failOnInternalError,
              nonBlockingContexts,
              librarySummaries(state));
      timer.stop("index", start);
      if (index.failures() > 0) {
        noteInternalError(
            state,
            index.failures() + " method(s) could not be analysed and were left out",
            index.firstFailure());
      }
      findingsByCheck.clear();
      unitsServed.clear();
      firstUnitServed = null;
      runAfterIndex();
    }
    return index;
  }

  /**
   * Runs {@code action} (once per name) on each index, once it is built. What it analyses does not
   * change the checks' findings: they analyse from the code that may hold a lock or must not block,
   * and each keeps its own record of what it reached.
   */
  public void afterIndex(String name, AfterIndex action) {
    afterIndex.putIfAbsent(name, action);
  }

  private void runAfterIndex() {
    long start = timer.start();
    try {
      runEachAfterIndex();
    } finally {
      timer.stop("after-index", start);
    }
  }

  private void runEachAfterIndex() {
    JavaFileManager fileManager = context.get(JavaFileManager.class);
    for (Map.Entry<String, AfterIndex> action : afterIndex.entrySet()) {
      write("its " + action.getKey(), () -> action.getValue().run(index, fileManager));
    }
  }

  /** One reader for the run: each summary file is read, and a bad one noted, once. */
  private LibrarySummaries librarySummaries(VisitorState state) {
    if (librarySummaries == null) {
      librarySummaries =
          new LibrarySummaries(
              config.summaries() ? context.get(JavaFileManager.class) : null,
              state.getTypes(),
              this::classNamed,
              this::noteOnce);
    }
    return librarySummaries;
  }

  /**
   * The classes this run has read from class files (jars, other modules' output) and completed,
   * but for the JDK's, by flat name: what its sources use. None is loaded for the asking.
   */
  public java.util.List<ClassSymbol> completedLibraryClasses() {
    java.util.TreeMap<String, ClassSymbol> found = new java.util.TreeMap<>();
    for (ClassSymbol cls : Symtab.instance(context).getAllClasses()) {
      if (cls.classfile != null
          && cls.classfile.getKind() == JavaFileObject.Kind.CLASS
          && cls.isCompleted()
          && !SummaryFormat.isPlatformClass(cls)) {
        found.put(cls.flatName().toString(), cls);
      }
    }
    return new java.util.ArrayList<>(found.values());
  }

  /** The class of a canonical name, if javac can find it; null otherwise. */
  public @Nullable ClassSymbol classNamed(String qualifiedName) {
    try {
      Elements elements = JavacProcessingEnvironment.instance(context).getElementUtils();
      return elements.getTypeElement(qualifiedName) instanceof ClassSymbol cls ? cls : null;
    } catch (RuntimeException e) {
      return null; // a class the class path no longer has
    }
  }

  private final java.util.Set<String> notes = new java.util.HashSet<>();

  /**
   * Prints a note once per run, attached to no source file: javac would give it the file being
   * analysed, which build tools then print as if that file were at fault.
   */
  private void noteOnce(String note) {
    if (notes.add(note)) {
      Log log = Log.instance(context);
      JavaFileObject current = log.useSource(null);
      try {
        JavacProcessingEnvironment.instance(context)
            .getMessager()
            .printMessage(Diagnostic.Kind.NOTE, note);
      } finally {
        log.useSource(current);
      }
    }
  }

  /**
   * Tells the user, once per run and without failing the build, that Hangcheck hit an internal
   * error: its findings may be incomplete, and the error is worth a report.
   */
  private void noteInternalError(VisitorState state, String what, Throwable error) {
    if (internalErrorNoted) {
      return;
    }
    internalErrorNoted = true;
    noteOnce(
        "Hangcheck: "
            + what
            + " after an internal error ("
            + error
            + "); its findings may be incomplete. Please report it with the code involved.");
  }

  /** Every compilation unit of this run whose classes javac has attributed, and {@code current}. */
  private Set<CompilationUnitTree> attributedUnits(CompilationUnitTree current) {
    Set<CompilationUnitTree> units = Collections.newSetFromMap(new IdentityHashMap<>());
    units.add(current);
    Enter enter = Enter.instance(context);
    for (ClassSymbol cls : Symtab.instance(context).getAllClasses()) {
      Env<AttrContext> env = enter.getEnv(cls);
      if (env == null || env.toplevel == null || units.contains(env.toplevel)) {
        continue;
      }
      if (isAttributed(env.toplevel)) {
        units.add(env.toplevel);
      }
    }
    return units;
  }

  private static boolean isAttributed(JCTree.JCCompilationUnit unit) {
    for (JCTree definition : unit.defs) {
      if (definition instanceof JCTree.JCClassDecl) {
        ClassSymbol cls = ((JCTree.JCClassDecl) definition).sym;
        if (cls == null || (cls.flags_field & Flags.UNATTRIBUTED) != 0) {
          return false;
        }
      }
    }
    return true;
  }
}
