package dev.hangcheck.sample;

import static com.google.common.truth.Truth.assertWithMessage;

import com.google.common.collect.ImmutableList;
import com.google.testing.compile.JavaFileObjects;
import dev.hangcheck.testing.EndToEnd;
import java.io.IOException;
import java.net.MalformedURLException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Compiles {@code sample-violations} with the same Hangcheck options as its build and compares
 * every diagnostic with {@code expected-diagnostics.txt}. After an intended change, regenerate the
 * file with {@code mvn -pl checks-test -am verify -Dhangcheck.updateGolden=true} and review the
 * diff.
 */
final class SampleGoldenTest {

  private static final String CHECKS_AT_WARN = EndToEnd.ALL_CHECKS;

  @Test
  void sampleDiagnosticsMatchTheGoldenFile() throws IOException {
    Path sources = Path.of(System.getProperty("hangcheck.sample.sources"));
    Path golden = Path.of(System.getProperty("hangcheck.sample.golden"));
    String options = System.getProperty("hangcheck.sample.options", "");

    ImmutableList<String> actual =
        EndToEnd.diagnostics(EndToEnd.compile(CHECKS_AT_WARN + " " + options, javaFiles(sources)));

    if (Boolean.getBoolean("hangcheck.updateGolden")) {
      Files.write(golden, actual, StandardCharsets.UTF_8);
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

  private static List<JavaFileObject> javaFiles(Path root) throws IOException {
    List<JavaFileObject> files = new ArrayList<>();
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
        files.add(toFileObject(path));
      }
    }
    return files;
  }

  private static JavaFileObject toFileObject(Path path) {
    try {
      return JavaFileObjects.forResource(path.toUri().toURL());
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException(path.toString(), e);
    }
  }
}
