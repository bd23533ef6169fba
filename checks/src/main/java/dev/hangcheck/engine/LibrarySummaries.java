package dev.hangcheck.engine;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Types;
import dev.hangcheck.engine.SummaryFormat.Acquires;
import dev.hangcheck.engine.SummaryFormat.Blocking;
import dev.hangcheck.engine.SummaryFormat.CalledUnder;
import dev.hangcheck.engine.SummaryFormat.MalformedSummaryException;
import dev.hangcheck.engine.SummaryFormat.Summary;
import java.io.IOException;
import java.io.InputStream;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
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
      Map<String, List<CalledUnder>> calledUnder) {
    static ByMethod of(Summary summary) {
      return new ByMethod(
          summary.blocking().stream().collect(Collectors.groupingBy(Blocking::method)),
          summary.acquires().stream().collect(Collectors.groupingBy(Acquires::method)),
          summary.calledUnder().stream().collect(Collectors.groupingBy(CalledUnder::method)));
    }
  }

  private final @Nullable JavaFileManager fileManager;
  private final Types types;
  private final Function<String, @Nullable ClassSymbol> classNamed;
  private final Consumer<String> note;
  /** By top-level class: its summary, or empty when it has none. */
  private final Map<ClassSymbol, Optional<ByMethod>> byClass = new IdentityHashMap<>();

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
    return lookUp(method, ByMethod::calledUnder);
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
    FileObject file;
    try {
      file =
          fileManager.getFileForInput(
              StandardLocation.CLASS_PATH, SummaryFormat.resourcePackage(topLevel), SummaryFormat.resourceName(topLevel));
    } catch (IOException | RuntimeException e) {
      return null;
    }
    if (file == null) {
      return null;
    }
    try (InputStream in = file.openInputStream()) {
      return ByMethod.of(SummaryFormat.parse(new String(in.readAllBytes(), UTF_8), classNamed));
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
