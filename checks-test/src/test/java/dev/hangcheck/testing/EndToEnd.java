package dev.hangcheck.testing;

import static com.google.common.truth.Truth.assertWithMessage;

import com.google.common.collect.ImmutableList;
import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;

/**
 * Compiles sources the way a user's build does: javac with {@code -Xplugin:ErrorProne} and real
 * {@code -Xep} flags, Error Prone and Hangcheck loaded from the processor path. Diagnostics come
 * back as {@code File.java:line: [Check] message} lines, in the order javac reports them.
 */
public final class EndToEnd {

  private static final Pattern CHECK_NAME = Pattern.compile("^\\[(\\w+)\\] (.*)$", Pattern.DOTALL);

  /** Only Hangcheck's checks, at WARN. */
  public static final String ALL_CHECKS =
      "-XepDisableAllChecks -Xep:LockOrderInversion:WARN"
          + " -Xep:BlockingCallInNonBlockingContext:WARN -Xep:BlockingCallUnderLock:WARN"
          + " -Xep:LockOrderViolation:WARN";

  /** Only LockOrderInversion, at WARN. */
  public static final String LOCK_ORDER = "-XepDisableAllChecks -Xep:LockOrderInversion:WARN";

  /**
   * The source with its {@code // BUG: Diagnostic contains:} expectations made plain comments:
   * the same code, for a test that it gives no finding in another setting.
   */
  public static String withoutExpectations(String source) {
    return source.replace("// BUG: Diagnostic contains:", "// was:");
  }

  private EndToEnd() {}

  /** Compiles {@code files} in the given order under {@code -XDcompilePolicy=simple}. */
  public static Compilation compile(String errorProneFlags, List<JavaFileObject> files) {
    return compile(errorProneFlags, "simple", files);
  }

  public static Compilation compile(
      String errorProneFlags, String compilePolicy, List<JavaFileObject> files) {
    List<String> options = new ArrayList<>();
    options.add("-XDcompilePolicy=" + compilePolicy);
    options.add("--should-stop=ifError=FLOW");
    options.add("-Xplugin:ErrorProne " + errorProneFlags);
    options.add("-processorpath");
    options.add(System.getProperty("java.class.path"));
    options.add("-Xmaxwarns");
    options.add("10000");
    return Compiler.javac().withOptions(options).compile(files);
  }

  /** The Error Prone diagnostics of a compilation that must succeed. */
  public static ImmutableList<String> diagnostics(Compilation compilation) {
    assertWithMessage("compilation errors: %s", compilation.errors())
        .that(compilation.status())
        .isEqualTo(Compilation.Status.SUCCESS);
    return format(compilation.diagnostics());
  }

  public static ImmutableList<String> format(
      List<Diagnostic<? extends JavaFileObject>> diagnostics) {
    ImmutableList.Builder<String> lines = ImmutableList.builder();
    for (Diagnostic<? extends JavaFileObject> diagnostic : diagnostics) {
      String text = diagnostic.getMessage(Locale.ROOT);
      Matcher matcher = CHECK_NAME.matcher(text);
      if (!matcher.matches() || diagnostic.getSource() == null) {
        continue; // javac's own notes and warnings
      }
      String path = diagnostic.getSource().getName();
      String file = path.substring(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
      lines.add(
          file
              + ":"
              + diagnostic.getLineNumber()
              + ": ["
              + matcher.group(1)
              + "] "
              + matcher.group(2).strip());
    }
    return lines.build();
  }
}
