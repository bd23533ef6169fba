package dev.hangcheck.reports;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static java.nio.charset.StandardCharsets.UTF_8;

import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.hangcheck.testing.EndToEnd;
import dev.hangcheck.testing.TwoBuilds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code -XepOpt:Hangcheck:LockGraph}: every lock order of the run, as DOT and as JSON. */
final class LockGraphFilesTest {

  @TempDir Path builds;

  /** The graph's DOT and JSON text. */
  private record Graph(String dot, String json) {}

  private Graph compile(String name, String... sources) throws IOException {
    Path prefix = builds.resolve(name + "-graph").resolve("lock-graph");
    TwoBuilds.Run run =
        new TwoBuilds(builds)
            .compile(name, EndToEnd.ALL_CHECKS + " -XepOpt:Hangcheck:LockGraph=" + prefix, List.of(), sources);
    assertWithMessage("%s", run.diagnostics()).that(run.succeeded()).isTrue();
    return new Graph(
        Files.readString(Path.of(prefix + ".dot"), UTF_8),
        Files.readString(Path.of(prefix + ".json"), UTF_8));
  }

  private static void assertMatchesTheDocumentedSchema(String json) throws IOException {
    Schema schema =
        SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7)
            .getSchema(Files.readString(Path.of("../docs/lock-graph.schema.json"), UTF_8));
    assertThat(schema.validate(json, InputFormat.JSON)).isEmpty();
  }

  @Test
  void everyOrderIsAnEdgeAndTheOnesOnACycleAreRed() throws IOException {
    Graph graph = compile("shop", SarifReportTest.SOURCES);
    assertMatchesTheDocumentedSchema(graph.json());
    // audit -> orders and orders -> audit: a cycle, both red.
    assertThat(graph.dot()).contains("label=\"Stock.audit\\nStock.java:9\"");
    assertThat(graph.dot())
        .containsMatch("n\\d -> n\\d \\[label=\"Stock.count\\(\\)\\\\nStock.java:23\", color=\"red\"");
    assertThat(graph.dot())
        .containsMatch("n\\d -> n\\d \\[label=\"Stock.report\\(\\)\\\\nStock.java:29\", color=\"red\"");
    // orders -> items through a call, against the declared order: orange, and the declaration dashed.
    assertThat(graph.dot())
        .contains("Stock.restock()\\nStock.java:13\\nagainst the declared order\", color=\"darkorange\"");
    assertThat(graph.dot())
        .contains("[style=dashed, color=\"gray40\", fontcolor=\"gray40\", label=\"declared: @AcquiredBefore on Stock.items (Stock.java:6)\"]");
    assertThat(graph.json()).containsMatch("\"calls\": \\[\\s*\"Stock.lockItems\\(\\)\"\\s*\\]");
    assertThat(graph.json()).contains("\"violatesDeclaredOrder\": true");
  }

  @Test
  void theSameSourcesGiveTheSameFilesWhateverTheOrderOfTheFiles() throws IOException {
    String[] sources = SarifReportTest.SOURCES;
    Graph first = compile("a", sources);
    Graph second = compile("b", sources[2], sources[3], sources[0], sources[1]);
    assertThat(second).isEqualTo(first);
  }

  @Test
  void aRunWithoutLocksWritesAnEmptyGraph() throws IOException {
    Graph graph = compile("quiet", "A.java", "class A { void run() {} }");
    assertMatchesTheDocumentedSchema(graph.json());
    assertThat(graph.json()).contains("\"locks\": []");
    assertThat(graph.json()).contains("\"orders\": []");
    assertThat(graph.dot()).startsWith("digraph \"lock-graph\" {");
  }

  @Test
  void theSamplesGraphMatchesTheDocumentedSchema() throws IOException {
    assertMatchesTheDocumentedSchema(
        Files.readString(Path.of("../sample-violations/expected-lock-graph.json"), UTF_8));
  }
}
