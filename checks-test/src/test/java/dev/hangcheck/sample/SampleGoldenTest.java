package dev.hangcheck.sample;

import static com.google.common.truth.Truth.assertWithMessage;

import dev.hangcheck.testing.EndToEnd;
import dev.hangcheck.testing.TwoBuilds;
import dev.hangcheck.testing.TwoBuilds.Run;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compiles {@code sample-library} and then {@code sample-violations} against its output, two javac
 * runs with the same Hangcheck options as their builds (as Maven builds the two modules), and
 * compares every Hangcheck diagnostic with {@code expected-diagnostics.txt}. After an intended
 * change, regenerate the file with {@code mvn -pl checks-test -am verify
 * -Dhangcheck.updateGolden=true} and review the diff.
 */
final class SampleGoldenTest {

  private static final String CHECKS_AT_WARN = EndToEnd.ALL_CHECKS;
  private static final Pattern HANGCHECK_DIAGNOSTIC =
      Pattern.compile("^[^:]+\\.java:\\d+: \\[(LockOrder\\w+|BlockingCall\\w+)\\] .*", Pattern.DOTALL);

  @TempDir Path builds;

  @Test
  void sampleDiagnosticsMatchTheGoldenFile() throws IOException {
    Path library = Path.of(System.getProperty("hangcheck.sample.library.sources"));
    Path sources = Path.of(System.getProperty("hangcheck.sample.sources"));
    Path golden = Path.of(System.getProperty("hangcheck.sample.golden"));
    String options = System.getProperty("hangcheck.sample.options", "");

    TwoBuilds twoBuilds = new TwoBuilds(builds);
    Run libraryRun = twoBuilds.compile("sample-library", CHECKS_AT_WARN, List.of(), sourcesOf(library));
    Path reports = builds.resolve("reports");
    Run sampleRun =
        twoBuilds.compile(
            "sample-violations",
            CHECKS_AT_WARN
                + " "
                + options
                + " -XepOpt:Hangcheck:LockGraph="
                + reports.resolve("lock-graph")
                + " -XepOpt:Hangcheck:Sarif="
                + reports.resolve("hangcheck.sarif"),
            List.of(libraryRun.output()),
            sourcesOf(sources));
    assertWithMessage("the sample library compiles: %s", libraryRun.diagnostics())
        .that(libraryRun.succeeded())
        .isTrue();
    assertWithMessage("the sample compiles: %s", sampleRun.diagnostics())
        .that(sampleRun.succeeded())
        .isTrue();
    List<String> actual = new ArrayList<>();
    for (Run run : List.of(libraryRun, sampleRun)) {
      run.diagnostics().stream()
          .filter(line -> HANGCHECK_DIAGNOSTIC.matcher(line).matches())
          .forEach(actual::add);
    }

    if (Boolean.getBoolean("hangcheck.updateGolden")) {
      Files.write(golden, actual, StandardCharsets.UTF_8);
    }
    String sampleRoot = builds.resolve("sample-violations").resolve("src").toUri().toString();
    for (String report : List.of("lock-graph.dot", "lock-graph.json", "hangcheck.sarif")) {
      String text =
          Files.readString(reports.resolve(report), StandardCharsets.UTF_8)
              .replace(sampleRoot, "file:///SAMPLE/")
              .replace(Path.of(System.getProperty("user.dir")).toUri().toString(), "file:///WORKDIR/");
      Path expectedReport = golden.resolveSibling("expected-" + report);
      if (Boolean.getBoolean("hangcheck.updateGolden")) {
        Files.writeString(expectedReport, text, StandardCharsets.UTF_8);
      }
      assertWithMessage(
              "%s of sample-violations differs from %s; if the change is intended, rerun with"
                  + " -Dhangcheck.updateGolden=true and review the diff",
              report,
              expectedReport)
          .that(text)
          .isEqualTo(Files.readString(expectedReport, StandardCharsets.UTF_8));
    }
    List<String> expected =
        Files.readAllLines(golden, StandardCharsets.UTF_8).stream()
            .filter(line -> !line.isBlank())
            .toList();
    assertWithMessage(
            "diagnostics of sample-violations differ from %s; if the change is intended, rerun"
                + " with -Dhangcheck.updateGolden=true and review the diff",
            golden)
        .that(actual)
        .containsExactlyElementsIn(expected)
        .inOrder();
  }

  /** The {@code .java} files under {@code root}, as (relative path, text) pairs in path order. */
  private static String[] sourcesOf(Path root) throws IOException {
    List<String> pairs = new ArrayList<>();
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
        pairs.add(root.relativize(path).toString());
        pairs.add(Files.readString(path, StandardCharsets.UTF_8));
      }
    }
    return pairs.toArray(new String[0]);
  }
}
