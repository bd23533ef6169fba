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
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code -XepOpt:Hangcheck:Sarif}: the run's findings as SARIF 2.1.0, valid and deterministic. */
final class SarifReportTest {

  @TempDir Path builds;

  static final String[] SOURCES = {
    "shop/Stock.java",
    """
    package shop;

    import dev.hangcheck.annotations.AcquiredBefore;

    class Stock {
      @AcquiredBefore("orders")
      final Object items = new Object();
      final Object orders = new Object();
      final Object audit = new Object();

      void restock() {
        synchronized (orders) {
          lockItems();
        }
      }

      private void lockItems() {
        synchronized (items) {}
      }

      void count() {
        synchronized (audit) {
          synchronized (orders) {}
        }
      }

      void report() {
        synchronized (orders) {
          synchronized (audit) {}
        }
      }

      synchronized void pause() throws InterruptedException {
        Thread.sleep(1000);
      }

      synchronized int size() {
        return 0;
      }
    }
    """,
    "shop/Handler.java",
    """
    package shop;

    class Handler {
      @dev.hangcheck.annotations.NonBlocking
      void onEvent() throws Exception {
        new java.io.FileInputStream("x").close();
      }
    }
    """
  };

  private String compile(String name, String[] sources) throws IOException {
    Path sarif = builds.resolve(name.replace(" ", "-") + ".sarif");
    TwoBuilds.Run run =
        new TwoBuilds(builds)
            .compile(name, EndToEnd.ALL_CHECKS + " -XepOpt:Hangcheck:Sarif=" + sarif, List.of(), sources);
    assertWithMessage("%s", run.diagnostics()).that(run.succeeded()).isTrue();
    return Files.readString(sarif, UTF_8);
  }

  private static void assertValid(String sarif) throws IOException {
    try (InputStream schemaText =
        SarifReportTest.class.getClassLoader().getResourceAsStream("schema/sarif-schema-2.1.0.json")) {
      assertThat(schemaText).isNotNull();
      Schema schema =
          SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7).getSchema(schemaText);
      assertThat(schema.validate(sarif, InputFormat.JSON)).isEmpty();
    }
  }

  @Test
  void everyCheckOfTheRunIsARuleAndEveryFindingAResultWithItsPlaces() throws IOException {
    String sarif = compile("shop", SOURCES);
    assertValid(sarif);
    assertThat(sarif).contains("\"version\": \"2.1.0\"");
    for (String check :
        List.of(
            "LockOrderInversion",
            "LockOrderViolation",
            "BlockingCallUnderLock",
            "BlockingCallInNonBlockingContext")) {
      assertThat(sarif).contains("\"id\": \"" + check + "\"");
      assertThat(sarif)
          .contains(
              "\"helpUri\": \"https://github.com/hangcheck-dev/hangcheck/blob/main/docs/"
                  + check
                  + ".md\"");
      assertThat(sarif).contains("\"ruleId\": \"" + check + "\"");
    }
    // The violation, at the call, with the path from the lock taken to the acquisition.
    assertThat(sarif).contains("Lock-order violation: the declared order puts Stock.items before Stock.orders");
    assertThat(sarif).contains("\"text\": \"calls Stock.lockItems()\"");
    assertThat(sarif).contains("\"text\": \"acquires Stock.items\"");
    // The cycle names the other edge as a related location.
    assertThat(sarif).contains("\"relatedLocations\"");
    assertThat(sarif).contains("Stock.report() acquires Stock.audit while holding Stock.orders");
    // Findings at WARN in this run are warnings.
    assertThat(sarif).contains("\"level\": \"warning\"");
    assertThat(sarif).doesNotContain("\"level\": \"error\"");
  }

  @Test
  void theSameSourcesGiveTheSameFileWhateverTheOrderOfTheFiles() throws IOException {
    String[] reversed = {SOURCES[2], SOURCES[3], SOURCES[0], SOURCES[1]};
    String first = compile("a", SOURCES).replace("/a/", "/x/");
    String second = compile("b", reversed).replace("/b/", "/x/");
    assertThat(second).isEqualTo(first);
  }

  @Test
  void theSchemaCheckRejectsWhatIsNotSarif() throws IOException {
    String sarif = compile("shop", SOURCES).replace("\"startLine\": ", "\"startLine\": -");
    try (InputStream schemaText =
        SarifReportTest.class.getClassLoader().getResourceAsStream("schema/sarif-schema-2.1.0.json")) {
      Schema schema =
          SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7).getSchema(schemaText);
      assertThat(schema.validate(sarif, InputFormat.JSON)).isNotEmpty();
    }
  }

  @Test
  void aRunWithoutFindingsWritesAValidReportWithNoResults() throws IOException {
    String sarif = compile("quiet", new String[] {"A.java", "class A { void run() {} }"});
    assertValid(sarif);
    assertThat(sarif).contains("\"results\": []");
  }

  @Test
  void pathsWithSpacesAreEncodedAsUris() throws IOException {
    String sarif = compile("my builds", SOURCES);
    assertValid(sarif);
    assertThat(sarif).contains("my%20builds/src/shop/Stock.java");
    assertThat(sarif).doesNotContain("my builds");
  }

  @Test
  void aReportThatCannotBeWrittenIsANoteAndTheBuildGoesOn() {
    TwoBuilds.Run run =
        new TwoBuilds(builds)
            .compile(
                "unwritable",
                EndToEnd.ALL_CHECKS
                    + " -XepOpt:Hangcheck:Sarif=/proc/hangcheck/out.sarif"
                    + " -XepOpt:Hangcheck:LockGraph=/proc/hangcheck/lock-graph",
                List.of(),
                SOURCES);
    assertWithMessage("%s", run.diagnostics()).that(run.succeeded()).isTrue();
    String notes = String.join("\n", run.notes());
    assertThat(notes).contains("note: Hangcheck: could not write /proc/hangcheck/out.sarif (");
    assertThat(notes).contains("note: Hangcheck: could not write its lock graph (");
  }
}
