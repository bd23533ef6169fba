package dev.hangcheck.engine;

import com.google.common.base.Splitter;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import com.sun.tools.javac.code.Flags;
import com.sun.tools.javac.code.Kinds;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.ClassSymbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Types;
import dev.hangcheck.catalog.BlockingCategory;
import dev.hangcheck.locks.LockId;
import dev.hangcheck.locks.LockName;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import javax.tools.FileObject;
import javax.tools.JavaFileManager;
import org.jspecify.annotations.Nullable;

/**
 * The text of a summary file (docs/summaries.md): what the methods of one top-level class block
 * on, which locks they take, and which overridable methods they call while holding one. One line
 * per fact, tab-separated, its kind first, sorted, so that the same sources give the same bytes.
 */
public final class SummaryFormat {

  /** The first line of every summary; a file with another first line is not read. */
  public static final String FORMAT_LINE = "hangcheck-summaries 2";

  /**
   * What a summary file's name ends with: {@code Config.hangcheck} beside {@code Config.class}.
   * Beside the class and not under {@code META-INF/}: javac's file manager finds resources in a
   * jar only in directories that are packages.
   */
  public static final String EXTENSION = ".hangcheck";

  private static final Splitter TAB = Splitter.on('\t');
  private static final Splitter BAR = Splitter.on('|');

  private SummaryFormat() {}

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
  public record Blocking(
      String method,
      BlockingCategory category,
      int guardParameter,
      boolean guardRequired,
      String chain,
      String origin,
      @Nullable String timeout) {}

  /**
   * A lock a method takes (and lets go before it returns), named in the method's terms.
   *
   * @param origin where it is taken: {@code Lib.java:12}
   * @param holding the lock the method itself holds there (an order it makes: {@code synchronized
   *     (from) { synchronized (to) {} }}), or null
   */
  public record Acquires(String method, LockName lock, String origin, @Nullable LockName holding) {}

  /**
   * An overridable method that code of the class calls while holding a lock: an override compiled
   * later runs with that lock held.
   *
   * @param method the method called, {@link #methodKey}
   * @param lock the lock held, a global one or a family
   * @param origin where the call is
   * @param caller the method making it, as messages name it
   * @param callerClass the flat name of the caller's top-level class: a fact another class's code
   *     gave this file, kept while that class is not compiled again
   */
  public record CalledUnder(
      String method, LockName lock, String origin, String caller, String callerClass) {}

  /**
   * A lock an override of one of the class's methods takes, in a class compiled with it: code of
   * the class that calls the method may run the override. Kept, like a {@link CalledUnder} from
   * another class, while that class is not compiled again.
   *
   * @param method the method overridden, {@link #methodKey}
   * @param lock the lock, in the override's terms ({@code this} is the receiver)
   * @param overrider the override, as messages name it
   * @param overriderClass the flat name of the override's top-level class
   */
  public record OverriddenBy(
      String method, LockName lock, String origin, String overrider, String overriderClass) {}

  /** What one summary file says. */
  public record Summary(
      ImmutableList<Blocking> blocking,
      ImmutableList<Acquires> acquires,
      ImmutableList<CalledUnder> calledUnder,
      ImmutableList<OverriddenBy> overriddenBy,
      ImmutableList<String> contributesTo) {
    public boolean isEmpty() {
      return blocking.isEmpty()
          && acquires.isEmpty()
          && calledUnder.isEmpty()
          && overriddenBy.isEmpty()
          && contributesTo.isEmpty();
    }
  }

  /** The package of the resource that holds the summaries of {@code topLevel} and its nested classes. */
  public static String resourcePackage(ClassSymbol topLevel) {
    return topLevel.packge().getQualifiedName().toString();
  }

  /** The name of that resource in its package: {@code Config.hangcheck}. */
  public static String resourceName(ClassSymbol topLevel) {
    return topLevel.getSimpleName() + EXTENSION;
  }

  /**
   * The summary file of {@code topLevel} in {@code location} (the class path, the class output),
   * or null: there is none, or the file manager cannot look there.
   */
  public static @Nullable FileObject file(
      JavaFileManager fileManager, JavaFileManager.Location location, ClassSymbol topLevel) {
    try {
      return fileManager.getFileForInput(location, resourcePackage(topLevel), resourceName(topLevel));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** Reads a summary file. */
  public static Summary read(FileObject file, Function<String, @Nullable ClassSymbol> classNamed)
      throws IOException, MalformedSummaryException {
    try (InputStream in = file.openInputStream()) {
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), classNamed);
    }
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

  /**
   * Whether code of another package can call (or override) {@code method}: it is public or
   * protected, and so is every class it is in. Only such methods are written: a summary is read
   * by other compilations, which are of other packages.
   */
  public static boolean isVisibleOutsideItsPackage(MethodSymbol method) {
    boolean interfaceMember =
        method.owner instanceof ClassSymbol owner
            && owner.isInterface()
            && (method.flags() & Flags.PRIVATE) == 0;
    if ((method.flags() & (Flags.PUBLIC | Flags.PROTECTED)) == 0 && !interfaceMember) {
      return false;
    }
    for (Symbol owner = method.owner; owner instanceof ClassSymbol cls; owner = owner.owner) {
      if ((cls.flags() & (Flags.PUBLIC | Flags.PROTECTED)) == 0 || cls.isAnonymous()) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether a class is the JDK's: never compiled with Hangcheck, so never summarized, and no
   * summary is ever looked up for it.
   */
  public static boolean isPlatformClass(ClassSymbol cls) {
    String name = cls.getQualifiedName().toString();
    return name.startsWith("java.")
        || name.startsWith("javax.")
        || name.startsWith("jdk.")
        || name.startsWith("sun.")
        || name.startsWith("com.sun.");
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
    return null;
  }

  /**
   * The file's text: the same facts give the same text. Each lock family is written once, as a
   * numbered {@code family} line, and the locks refer to it by number ({@code #0}): a lock-heavy
   * class names the same few families hundreds of times.
   */
  public static String text(Summary summary) {
    TreeMap<String, LockId> families = new TreeMap<>();
    summary.acquires().forEach(entry -> addFamily(families, entry.lock()));
    summary.acquires().stream()
        .filter(entry -> entry.holding() != null)
        .forEach(entry -> addFamily(families, entry.holding()));
    summary.calledUnder().forEach(entry -> addFamily(families, entry.lock()));
    summary.overriddenBy().forEach(entry -> addFamily(families, entry.lock()));
    Map<LockId, Integer> numbers = new HashMap<>();
    List<String> lines = new ArrayList<>();
    for (LockId family : families.values()) {
      int number = numbers.size();
      numbers.put(family, number);
      lines.add(line("family", Integer.toString(number), familyText(family)));
    }
    for (Blocking entry : summary.blocking()) {
      lines.add(
          line(
              "blocks",
              entry.method(),
              entry.category().name(),
              entry.guardParameter() < 0 ? "-" : "p" + entry.guardParameter() + "=" + entry.guardRequired(),
              entry.chain(),
              entry.origin(),
              entry.timeout() == null ? "-" : entry.timeout()));
    }
    for (Acquires entry : summary.acquires()) {
      List<String> fields = new ArrayList<>(List.of("acquires", entry.method()));
      fields.addAll(lock(entry.lock(), numbers));
      fields.add(entry.origin());
      fields.addAll(entry.holding() == null ? NO_LOCK : lock(entry.holding(), numbers));
      lines.add(line(fields.toArray(new String[0])));
    }
    for (CalledUnder entry : summary.calledUnder()) {
      lines.add(
          otherCodeLine(
              "called-under",
              entry.method(),
              entry.lock(),
              entry.origin(),
              entry.caller(),
              entry.callerClass(),
              numbers));
    }
    for (String target : summary.contributesTo()) {
      lines.add(line("contributes", target));
    }
    for (OverriddenBy entry : summary.overriddenBy()) {
      lines.add(
          otherCodeLine(
              "overridden-by",
              entry.method(),
              entry.lock(),
              entry.origin(),
              entry.overrider(),
              entry.overriderClass(),
              numbers));
    }
    lines.sort(Comparator.naturalOrder());
    StringBuilder text = new StringBuilder(FORMAT_LINE).append('\n');
    lines.forEach(line -> text.append(line).append('\n'));
    return text.toString();
  }

  /**
   * A fact about a method and a lock that other code gives it: its kind, the method, the lock,
   * where, and the other code (as messages name it, and its top-level class).
   */
  private static String otherCodeLine(
      String kind,
      String method,
      LockName lock,
      String origin,
      String code,
      String codeClass,
      Map<LockId, Integer> numbers) {
    List<String> fields = new ArrayList<>(List.of(kind, method));
    fields.addAll(lock(lock, numbers));
    fields.add(origin);
    fields.add(code);
    fields.add(codeClass);
    return line(fields.toArray(new String[0]));
  }

  private static void addFamily(TreeMap<String, LockId> families, LockName lock) {
    LockId family = lock.family();
    if (family != null) {
      families.putIfAbsent(family.kind() + " " + family.key(), family);
    }
  }

  private static String line(String... fields) {
    List<String> clean = new ArrayList<>(fields.length);
    for (String field : fields) {
      clean.add(field.replace('\t', ' ').replace('\n', ' ').replace('\r', ' '));
    }
    return String.join("\t", clean);
  }

  /** The four lock fields of no lock. */
  private static final List<String> NO_LOCK = List.of("none", "-", "-", "-");

  /** A lock as four fields: root, fields, family number, text. */
  private static List<String> lock(LockName name, Map<LockId, Integer> families) {
    String root =
        switch (name.root()) {
          case THIS -> "this";
          case PARAMETER -> "p" + name.parameter();
          case GLOBAL -> "global";
          default -> "family";
        };
    String fields = name.fields().isEmpty() ? "-" : String.join(",", name.fields());
    LockId family = name.family();
    return List.of(root, fields, family == null ? "-" : "#" + families.get(family), name.text());
  }

  private static String familyText(LockId family) {
    return String.join(
        "|",
        family.kind().name(),
        family.key(),
        family.display().replace('|', '/'),
        Boolean.toString(family.isExactClass()),
        family.objectClass() == null ? "-" : family.objectClass().getQualifiedName().toString());
  }

  /** A summary file this version cannot read. */
  public static final class MalformedSummaryException extends Exception {
    MalformedSummaryException(String message) {
      super(message);
    }
  }

  /**
   * Reads a summary file's text.
   *
   * @param classNamed the class of a qualified name, for the families of locks, or null
   */
  public static Summary parse(String text, Function<String, @Nullable ClassSymbol> classNamed)
      throws MalformedSummaryException {
    List<String> lines = Splitter.on('\n').omitEmptyStrings().splitToList(text);
    if (lines.isEmpty() || !lines.get(0).equals(FORMAT_LINE)) {
      throw new MalformedSummaryException(
          "not a summary of this version of Hangcheck, which reads '" + FORMAT_LINE + "'");
    }
    Map<String, LockId> families = new HashMap<>();
    for (String line : lines.subList(1, lines.size())) {
      List<String> fields = TAB.splitToList(line);
      if (fields.get(0).equals("family")) {
        if (fields.size() != 3) {
          throw new MalformedSummaryException("malformed line '" + line + "'");
        }
        families.put("#" + fields.get(1), family(fields.get(2), classNamed, line));
      }
    }
    ImmutableList.Builder<Blocking> blocking = ImmutableList.builder();
    ImmutableList.Builder<Acquires> acquires = ImmutableList.builder();
    ImmutableList.Builder<CalledUnder> calledUnder = ImmutableList.builder();
    ImmutableList.Builder<OverriddenBy> overriddenBy = ImmutableList.builder();
    ImmutableList.Builder<String> contributesTo = ImmutableList.builder();
    for (String line : lines.subList(1, lines.size())) {
      List<String> fields = TAB.splitToList(line);
      switch (fields.get(0)) {
        case "family" -> {}
        case "blocks" -> blocking.add(blocking(fields, line));
        case "acquires" -> {
          expect(fields, 11, line);
          acquires.add(
              new Acquires(
                  fields.get(1),
                  lock(fields, 2, families, line),
                  fields.get(6),
                  fields.get(7).equals("none") ? null : lock(fields, 7, families, line)));
        }
        case "called-under", "overridden-by" -> {
          expect(fields, 9, line);
          LockName lock = lock(fields, 2, families, line);
          if (fields.get(0).equals("called-under")) {
            calledUnder.add(
                new CalledUnder(fields.get(1), lock, fields.get(6), fields.get(7), fields.get(8)));
          } else {
            overriddenBy.add(
                new OverriddenBy(fields.get(1), lock, fields.get(6), fields.get(7), fields.get(8)));
          }
        }
        case "contributes" -> {
          if (fields.size() != 2) {
            throw new MalformedSummaryException("malformed line '" + line + "'");
          }
          contributesTo.add(fields.get(1));
        }
        default -> throw new MalformedSummaryException("unknown line '" + line + "'");
      }
    }
    return new Summary(
        blocking.build(),
        acquires.build(),
        calledUnder.build(),
        overriddenBy.build(),
        contributesTo.build());
  }

  private static void expect(List<String> fields, int count, String line)
      throws MalformedSummaryException {
    if (fields.size() != count || fields.get(1).indexOf('#') < 0) {
      throw new MalformedSummaryException("malformed line '" + line + "'");
    }
  }

  private static Blocking blocking(List<String> fields, String line)
      throws MalformedSummaryException {
    expect(fields, 7, line);
    BlockingCategory category;
    try {
      category = BlockingCategory.valueOf(fields.get(2));
    } catch (IllegalArgumentException e) {
      throw new MalformedSummaryException("unknown category in '" + line + "'");
    }
    int guardParameter = -1;
    boolean guardRequired = false;
    String guard = fields.get(3);
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
    String timeout = fields.get(6);
    return new Blocking(
        fields.get(1),
        category,
        guardParameter,
        guardRequired,
        fields.get(4),
        fields.get(5),
        timeout.equals("-") ? null : timeout);
  }

  private static LockName lock(
      List<String> fields, int at, Map<String, LockId> families, String line)
      throws MalformedSummaryException {
    String root = fields.get(at);
    ImmutableList<String> path =
        fields.get(at + 1).equals("-")
            ? ImmutableList.of()
            : ImmutableList.copyOf(Splitter.on(',').split(fields.get(at + 1)));
    String familyNumber = fields.get(at + 2);
    LockId family = families.get(familyNumber);
    if (family == null && !familyNumber.equals("-")) {
      throw new MalformedSummaryException("unknown lock family in '" + line + "'");
    }
    String text = fields.get(at + 3);
    try {
      return switch (root) {
        case "this" -> new LockName(LockName.Root.THIS, -1, path, family, ImmutableSet.of(), text);
        case "global" -> new LockName(LockName.Root.GLOBAL, -1, path, family, ImmutableSet.of(), text);
        case "family" -> LockName.unknown(family, text);
        default -> {
          if (!root.startsWith("p")) {
            throw new NumberFormatException();
          }
          yield new LockName(
              LockName.Root.PARAMETER,
              Integer.parseInt(root.substring(1)),
              path,
              family,
              ImmutableSet.of(),
              text);
        }
      };
    } catch (NumberFormatException e) {
      throw new MalformedSummaryException("malformed lock in '" + line + "'");
    }
  }

  private static LockId family(
      String text, Function<String, @Nullable ClassSymbol> classNamed, String line)
      throws MalformedSummaryException {
    List<String> parts = BAR.splitToList(text);
    if (parts.size() != 5) {
      throw new MalformedSummaryException("malformed lock family in '" + line + "'");
    }
    LockId.Kind kind;
    try {
      kind = LockId.Kind.valueOf(parts.get(0));
    } catch (IllegalArgumentException e) {
      throw new MalformedSummaryException("unknown lock kind in '" + line + "'");
    }
    ClassSymbol objectClass = parts.get(4).equals("-") ? null : classNamed.apply(parts.get(4));
    return LockId.restored(
        kind, parts.get(1), parts.get(2), objectClass, Boolean.parseBoolean(parts.get(3)));
  }
}
