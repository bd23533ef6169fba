package dev.hangcheck.engine;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.common.base.Splitter;
import com.sun.tools.javac.code.Kinds;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Types;
import dev.hangcheck.catalog.BlockingCategory;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import javax.tools.FileObject;
import javax.tools.JavaFileManager;
import javax.tools.StandardLocation;
import org.jspecify.annotations.Nullable;

/**
 * The blocking summaries of classes compiled in earlier javac runs: what their methods block on,
 * read from {@code META-INF/hangcheck/<class>.summary} on the class path (a jar, or the output
 * directory of an earlier build), which the run that compiled them wrote beside its class files.
 * A class compiled in this run is judged by its source, never by an old summary.
 *
 * <p>The format is text, one line per blocking behaviour of a method, sorted, so that the same
 * sources give the same bytes:
 *
 * <pre>
 * hangcheck-blocking-summaries 1
 * com.acme.Lib#read(java.lang.String)	FILE	-	Lib.load(String) -> new FileInputStream(String)	Lib.java:12	-
 * </pre>
 *
 * with the method (its class's flat name, its name and its parameters' erased types), the
 * category, the guard ({@code p0=true}: runs only when boolean parameter 0 is true; {@code -}:
 * always), the calls down to the blocking call, where that call is, and its timeout when it is a
 * constant ({@code -} otherwise).
 */
public final class LibrarySummaries {

  /** The first line of every summary; a file with another first line is not read. */
  public static final String FORMAT_LINE = "hangcheck-blocking-summaries 1";

  /** Where summaries live in a class output directory or jar. */
  public static final String DIRECTORY = "META-INF/hangcheck/";

  private static final Splitter TAB = Splitter.on('\t');

  /**
   * One way a method blocks.
   *
   * @param method {@link #methodKey}
   * @param guardParameter the boolean parameter whose value decides it, or -1
   * @param guardRequired the value that parameter must have for the method to block
   * @param chain the calls from the method down to the blocking call, that call last
   * @param origin where the blocking call is: {@code Lib.java:12}
   * @param timeout the constant timeout of a timed wait, or null
   */
  public record Entry(
      String method,
      BlockingCategory category,
      int guardParameter,
      boolean guardRequired,
      String chain,
      String origin,
      @Nullable String timeout) {

    private static final Comparator<Entry> ORDER =
        Comparator.comparing(Entry::method).thenComparing(Entry::category);

    String line() {
      return String.join(
          "\t",
          method,
          category.name(),
          guardParameter < 0 ? "-" : "p" + guardParameter + "=" + guardRequired,
          clean(chain),
          clean(origin),
          timeout == null ? "-" : clean(timeout));
    }

    private static String clean(String text) {
      return text.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
    }
  }

  private final @Nullable JavaFileManager fileManager;
  private final Types types;
  private final Consumer<String> note;
  /** By top-level class flat name: its summary's entries by method, or empty when it has none. */
  private final Map<String, Optional<Map<String, List<Entry>>>> byClass = new HashMap<>();

  /**
   * @param note told, once per unreadable file, what was ignored
   */
  LibrarySummaries(@Nullable JavaFileManager fileManager, Types types, Consumer<String> note) {
    this.fileManager = fileManager;
    this.types = types;
    this.note = note;
  }

  /**
   * The top-level class a method belongs to; null for one of no class of a package (javac's
   * {@code clone()} of arrays).
   */
  public static @Nullable ClassSymbol topLevelClass(MethodSymbol method) {
    ClassSymbol outermost = null;
    for (Symbol owner = method.owner; owner != null; owner = owner.owner) {
      if (owner.kind == Kinds.Kind.PCK || owner.kind == Kinds.Kind.MDL) {
        return outermost;
      }
      if (owner instanceof ClassSymbol cls) {
        outermost = cls;
      }
    }
    return null; // an array's clone(): its class belongs to no package
  }

  /** The resource that holds the summaries of {@code topLevel} and its nested classes. */
  public static String resourceName(ClassSymbol topLevel) {
    return DIRECTORY + topLevel.flatName() + ".summary";
  }

  /** {@code com.acme.Lib$Inner#read(java.lang.String,int[])} */
  public static String methodKey(MethodSymbol method, Types types) {
    StringBuilder key =
        new StringBuilder(((ClassSymbol) method.owner).flatName().toString())
            .append('#')
            .append(method.getSimpleName())
            .append('(');
    List<Symbol.VarSymbol> parameters = method.getParameters();
    for (int i = 0; i < parameters.size(); i++) {
      if (i > 0) {
        key.append(',');
      }
      key.append(types.erasure(parameters.get(i).type));
    }
    return key.append(')').toString();
  }

  /** The summary file's text for {@code entries}: the same entries give the same text. */
  public static String text(List<Entry> entries) {
    List<Entry> sorted = new ArrayList<>(entries);
    sorted.sort(Entry.ORDER);
    StringBuilder text = new StringBuilder(FORMAT_LINE).append('\n');
    for (Entry entry : sorted) {
      text.append(entry.line()).append('\n');
    }
    return text.toString();
  }

  /** How {@code method}, of a class not compiled here, blocks by its summary; empty if unknown. */
  List<Entry> of(MethodSymbol method) {
    if (fileManager == null || !(method.owner instanceof ClassSymbol)) {
      return List.of();
    }
    ClassSymbol topLevel = topLevelClass(method);
    if (topLevel == null || isPlatformClass(topLevel)) {
      return List.of(); // the JDK is never compiled with Hangcheck: no lookups for String, List...
    }
    Optional<Map<String, List<Entry>>> summary =
        byClass.computeIfAbsent(topLevel.flatName().toString(), k -> Optional.ofNullable(read(topLevel)));
    if (summary.isEmpty()) {
      return List.of();
    }
    return summary.get().getOrDefault(methodKey(method, types), List.of());
  }

  private static boolean isPlatformClass(ClassSymbol cls) {
    String name = cls.getQualifiedName().toString();
    return name.startsWith("java.")
        || name.startsWith("javax.")
        || name.startsWith("jdk.")
        || name.startsWith("sun.")
        || name.startsWith("com.sun.");
  }

  private @Nullable Map<String, List<Entry>> read(ClassSymbol topLevel) {
    FileObject file;
    try {
      file = fileManager.getFileForInput(StandardLocation.CLASS_PATH, "", resourceName(topLevel));
    } catch (IOException | RuntimeException e) {
      return null;
    }
    if (file == null) {
      return null;
    }
    try (InputStream in = file.openInputStream()) {
      return parse(new String(in.readAllBytes(), UTF_8));
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

  static Map<String, List<Entry>> parse(String text) throws MalformedSummaryException {
    List<String> lines = Splitter.on('\n').omitEmptyStrings().splitToList(text);
    if (lines.isEmpty() || !lines.get(0).equals(FORMAT_LINE)) {
      throw new MalformedSummaryException(
          "not a summary of this version of Hangcheck, which reads '" + FORMAT_LINE + "'");
    }
    Map<String, List<Entry>> byMethod = new HashMap<>();
    for (String line : lines.subList(1, lines.size())) {
      Entry entry = parseLine(line);
      byMethod.computeIfAbsent(entry.method(), k -> new ArrayList<>()).add(entry);
    }
    return byMethod;
  }

  private static Entry parseLine(String line) throws MalformedSummaryException {
    List<String> fields = TAB.splitToList(line);
    if (fields.size() != 6 || fields.get(0).indexOf('#') < 0) {
      throw new MalformedSummaryException("malformed line '" + line + "'");
    }
    BlockingCategory category;
    try {
      category = BlockingCategory.valueOf(fields.get(1));
    } catch (IllegalArgumentException e) {
      throw new MalformedSummaryException("unknown category in '" + line + "'");
    }
    int guardParameter = -1;
    boolean guardRequired = false;
    String guard = fields.get(2);
    if (!guard.equals("-")) {
      int equals = guard.indexOf('=');
      try {
        if (!guard.startsWith("p") || equals < 0) {
          throw new NumberFormatException();
        }
        guardParameter = Integer.parseInt(guard.substring(1, equals));
      } catch (NumberFormatException e) {
        throw new MalformedSummaryException("malformed guard in '" + line + "'");
      }
      guardRequired = Boolean.parseBoolean(guard.substring(equals + 1));
    }
    String timeout = fields.get(5);
    return new Entry(
        fields.get(0),
        category,
        guardParameter,
        guardRequired,
        fields.get(3),
        fields.get(4),
        timeout.equals("-") ? null : timeout);
  }

  /** A summary file that this version cannot read. */
  static final class MalformedSummaryException extends Exception {
    MalformedSummaryException(String message) {
      super(message);
    }
  }
}
