package dev.hangcheck.engine;

import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Types;
import dev.hangcheck.engine.SummaryFormat.Acquires;
import dev.hangcheck.engine.SummaryFormat.Blocking;
import dev.hangcheck.engine.SummaryFormat.CalledUnder;
import dev.hangcheck.engine.SummaryFormat.MalformedSummaryException;
import dev.hangcheck.engine.SummaryFormat.OverriddenBy;
import dev.hangcheck.engine.SummaryFormat.Summary;
import java.io.IOException;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import javax.tools.FileObject;
import javax.tools.JavaFileManager;
import javax.tools.StandardLocation;
import org.jspecify.annotations.Nullable;

/**
 * The summaries of classes compiled in earlier javac runs ({@link SummaryFormat}), read from
 * {@code <package>/<Class>.hangcheck} on the class path (a jar, or the output directory of
 * an earlier build), which the run that compiled them wrote beside its class files, lazily: when
 * a call reaches one of their methods. A class compiled in this run is judged by its source,
 * never by an old summary.
 */
public final class LibrarySummaries {

  /** One class's summary, by method. */
  private record ByMethod(
      Map<String, List<Blocking>> blocking,
      Map<String, List<Acquires>> acquires,
      Map<String, List<CalledUnder>> calledUnder,
      Map<String, List<OverriddenBy>> overriddenBy,
      List<String> contributesTo) {
    static ByMethod of(Summary summary) {
      return new ByMethod(
          summary.blocking().stream().collect(Collectors.groupingBy(Blocking::method)),
          summary.acquires().stream().collect(Collectors.groupingBy(Acquires::method)),
          summary.calledUnder().stream().collect(Collectors.groupingBy(CalledUnder::method)),
          summary.overriddenBy().stream().collect(Collectors.groupingBy(OverriddenBy::method)),
          summary.contributesTo());
    }
  }

  private final @Nullable JavaFileManager fileManager;
  private final Types types;
  private final Function<String, @Nullable ClassSymbol> classNamed;
  private final Consumer<String> note;
  /** By top-level class: its summary, or empty when it has none. */
  private final Map<ClassSymbol, Optional<ByMethod>> byClass = new IdentityHashMap<>();
  /** By top-level class compiled in this run: what its old summary has from other classes. */
  private final Map<ClassSymbol, Contributed> contributed = new IdentityHashMap<>();
  private Predicate<ClassSymbol> compiledNow = cls -> false;

  /**
   * What the old summary of a class compiled again in this run holds from the code of other
   * classes that are not: calls of its methods under their locks, overrides of its methods and
   * the locks they take. A class compiled alone (an incremental build) still sees them.
   */
  public record Contributed(
      Map<String, List<CalledUnder>> calledUnder, Map<String, List<OverriddenBy>> overriddenBy) {
    static final Contributed NONE = new Contributed(Map.of(), Map.of());

    public List<CalledUnder> allCalledUnder() {
      return calledUnder.values().stream().flatMap(List::stream).toList();
    }

    public List<OverriddenBy> allOverriddenBy() {
      return overriddenBy.values().stream().flatMap(List::stream).toList();
    }
  }

  /**
   * @param classNamed the class of a qualified name, for the families of locks, or null
   * @param note told, once per unreadable file, what was ignored
   */
  LibrarySummaries(
      @Nullable JavaFileManager fileManager,
      Types types,
      Function<String, @Nullable ClassSymbol> classNamed,
      Consumer<String> note) {
    this.fileManager = fileManager;
    this.types = types;
    this.classNamed = classNamed;
    this.note = note;
  }

  /** Which classes this run compiles: their own old summaries are not read, but for {@link Contributed}. */
  void compiledInThisRun(Predicate<ClassSymbol> isSource) {
    this.compiledNow = isSource;
  }

  /** What other classes' code, not compiled now, gave the old summary of {@code topLevel}. */
  public Contributed contributedTo(ClassSymbol topLevel) {
    if (fileManager == null) {
      return Contributed.NONE;
    }
    return contributed.computeIfAbsent(topLevel, this::readContributed);
  }

  /**
   * The classes whose summaries the old summary of {@code compiledNow} says it gave facts to:
   * where this run replaces them.
   */
  public List<String> previousTargetsOf(ClassSymbol compiledNow) {
    ByMethod old = fileManager == null ? null : read(compiledNow);
    return old == null ? List.of() : old.contributesTo();
  }

  /** The class of a flat (top-level: canonical) name, if javac can find it. */
  public @Nullable ClassSymbol classNamed(String name) {
    return classNamed.apply(name);
  }

  /** The locks held where code of classes not compiled now calls {@code method}, compiled now. */
  public List<CalledUnder> contributedCalledUnder(MethodSymbol method) {
    ClassSymbol top = SummaryFormat.topLevelClass(method);
    return top == null
        ? List.of()
        : contributedTo(top).calledUnder().getOrDefault(SummaryFormat.methodKey(method, types), List.of());
  }

  /** The locks overrides of {@code method} in classes not compiled now take. */
  public List<OverriddenBy> overridersOf(MethodSymbol method) {
    ClassSymbol top = SummaryFormat.topLevelClass(method);
    return top == null
        ? List.of()
        : contributedTo(top).overriddenBy().getOrDefault(SummaryFormat.methodKey(method, types), List.of());
  }

  private Contributed readContributed(ClassSymbol topLevel) {
    ByMethod old = read(topLevel);
    if (old == null) {
      return Contributed.NONE;
    }
    Map<String, List<CalledUnder>> calledUnder =
        fromElsewhere(old.calledUnder(), CalledUnder::callerClass, topLevel);
    Map<String, List<OverriddenBy>> overriddenBy =
        fromElsewhere(old.overriddenBy(), OverriddenBy::overriderClass, topLevel);
    return calledUnder.isEmpty() && overriddenBy.isEmpty()
        ? Contributed.NONE
        : new Contributed(calledUnder, overriddenBy);
  }

  /** Whether a fact of another class, which this run does not compile (and which still exists). */
  /** Of each method's facts, those that another class's code gave and which still count. */
  private <T> Map<String, List<T>> fromElsewhere(
      Map<String, List<T>> byMethod, Function<T, String> contributor, ClassSymbol topLevel) {
    Map<String, List<T>> kept = new java.util.HashMap<>();
    byMethod.forEach(
        (method, entries) -> {
          List<T> still =
              entries.stream()
                  .filter(entry -> isFromElsewhere(contributor.apply(entry), topLevel))
                  .toList();
          if (!still.isEmpty()) {
            kept.put(method, still);
          }
        });
    return kept;
  }

  private boolean isFromElsewhere(String flatName, ClassSymbol topLevel) {
    ClassSymbol contributor = contributor(flatName);
    return contributor != null && contributor != topLevel && !compiledNow.test(contributor);
  }

  /** The class a fact names as its contributor ({@code -}: none). */
  private @Nullable ClassSymbol contributor(String flatName) {
    return flatName.equals("-") ? null : classNamed.apply(flatName);
  }

  /** How {@code method}, of a class not compiled here, blocks by its summary; empty if unknown. */
  public List<Blocking> of(MethodSymbol method) {
    return lookUp(method, ByMethod::blocking);
  }

  /** The locks {@code method}, of a class not compiled here, takes by its summary. */
  public List<Acquires> acquisitionsOf(MethodSymbol method) {
    return lookUp(method, ByMethod::acquires);
  }

  /** The locks held where the code of {@code method}'s library calls it, by its summary. */
  public List<CalledUnder> calledUnder(MethodSymbol method) {
    // A call by a class compiled again now is that class's to say, from its source.
    return lookUp(method, ByMethod::calledUnder).stream()
        .filter(entry -> !isCompiledNow(entry.callerClass()))
        .toList();
  }

  private boolean isCompiledNow(String flatName) {
    ClassSymbol cls = contributor(flatName);
    return cls != null && compiledNow.test(cls);
  }

  private <T> List<T> lookUp(MethodSymbol method, Function<ByMethod, Map<String, List<T>>> facts) {
    ByMethod summary = summaryOf(method);
    return summary == null
        ? List.of()
        : facts.apply(summary).getOrDefault(SummaryFormat.methodKey(method, types), List.of());
  }

  private @Nullable ByMethod summaryOf(MethodSymbol method) {
    if (fileManager == null || !(method.owner instanceof ClassSymbol)) {
      return null;
    }
    ClassSymbol topLevel = SummaryFormat.topLevelClass(method);
    if (topLevel == null || SummaryFormat.isPlatformClass(topLevel)) {
      return null; // the JDK is never compiled with Hangcheck: no lookups for String, List...
    }
    return byClass.computeIfAbsent(topLevel, k -> Optional.ofNullable(read(topLevel))).orElse(null);
  }

  private @Nullable ByMethod read(ClassSymbol topLevel) {
    FileObject file = SummaryFormat.file(fileManager, StandardLocation.CLASS_PATH, topLevel);
    if (file == null) {
      return null;
    }
    try {
      return ByMethod.of(SummaryFormat.read(file, classNamed));
    } catch (IOException | MalformedSummaryException e) {
      note.accept(
          "Hangcheck: ignored the summary "
              + file.toUri()
              + " ("
              + e.getMessage()
              + "); the calls into "
              + topLevel.getQualifiedName()
              + " are not followed.");
      return null;
    }
  }
}
