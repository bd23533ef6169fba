package dev.hangcheck.summaries;

import static com.google.common.truth.Truth.assertThat;
import static java.nio.charset.StandardCharsets.UTF_8;

import dev.hangcheck.testing.EndToEnd;
import dev.hangcheck.testing.TwoBuilds;
import dev.hangcheck.testing.TwoBuilds.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blocking calls followed across javac runs: a library compiled first writes what its methods
 * block on beside its class files, and a later compilation with it on the class path reports the
 * chains that continue into it.
 */
final class BlockingSummariesTest {

  private static final String CONFIG =
      """
      package com.acme.lib;

      import java.io.FileInputStream;
      import java.io.IOException;

      public final class Config {
        public static int load(String path) throws IOException {
          return read(path);
        }

        private static int read(String path) throws IOException {
          try (FileInputStream in = new FileInputStream(path)) {
            return in.read();
          }
        }

        public static int cached() {
          return 42;
        }
      }
      """;

  private static final String WORKER =
      """
      package com.acme.lib;

      public class Worker {
        private final Thread thread = new Thread(() -> {});

        public void stop(boolean wait) throws InterruptedException {
          thread.interrupt();
          if (wait) {
            thread.join();
          }
        }
      }
      """;

  private static final String HANDLER =
      """
      package com.acme.app;

      import com.acme.lib.Config;
      import dev.hangcheck.annotations.NonBlocking;

      class Handler {
        @NonBlocking
        int onRequest(String path) throws Exception {
          Config.cached();
          return Config.load(path);
        }
      }
      """;

  @TempDir Path root;

  private static final String HANDLER_FINDING =
      "Handler.java:10: [BlockingCallInNonBlockingContext] Blocking call in non-blocking code:"
          + " Handler.onRequest(String) (annotated @NonBlocking) calls Config.load(String) ->"
          + " Config.read(String) -> new FileInputStream(String) (Config.java:12, by its"
          + " summary), which blocks on file I/O. Fix: offload the file work to a dedicated"
          + " executor.";

  @Test
  void aBlockingChainContinuesIntoALibraryCompiledEarlier() {
    TwoBuilds builds = new TwoBuilds(root);
    Run library = builds.compile("lib", EndToEnd.ALL_CHECKS, List.of(), "com/acme/lib/Config.java", CONFIG);
    Run app =
        builds.compile(
            "app", EndToEnd.ALL_CHECKS, List.of(library.output()), "com/acme/app/Handler.java", HANDLER);

    assertThat(library.succeeded()).isTrue();
    assertThat(app.diagnostics())
        .containsExactly(HANDLER_FINDING);
  }

  @Test
  void aBlockingChainContinuesIntoALibraryJar() {
    TwoBuilds builds = new TwoBuilds(root);
    Run library = builds.compile("lib", EndToEnd.ALL_CHECKS, List.of(), "com/acme/lib/Config.java", CONFIG);
    Path jar = builds.jar(library.output(), "lib");
    Run app =
        builds.compile("app", EndToEnd.ALL_CHECKS, List.of(jar), "com/acme/app/Handler.java", HANDLER);

    assertThat(library.succeeded()).isTrue();
    assertThat(app.diagnostics())
        .containsExactly(HANDLER_FINDING);
  }

  @Test
  void underALockTheLibrarysGuardIsJudgedByTheCallersConstantArgument() {
    TwoBuilds builds = new TwoBuilds(root);
    Run library = builds.compile("lib", EndToEnd.ALL_CHECKS, List.of(), "com/acme/lib/Worker.java", WORKER);
    Run app =
        builds.compile(
            "app",
            EndToEnd.ALL_CHECKS,
            List.of(library.output()),
            "com/acme/app/Pool.java",
            """
            package com.acme.app;

            import com.acme.lib.Worker;

            class Pool {
              private final Worker worker = new Worker();
              private int size;

              synchronized void restart() throws InterruptedException {
                worker.stop(false);
              }

              synchronized void shutdown() throws InterruptedException {
                worker.stop(true);
              }

              synchronized int size() {
                return size;
              }
            }
            """);

    assertThat(app.diagnostics()).hasSize(1);
    assertThat(app.diagnostics().get(0))
        .startsWith(
            "Pool.java:14: [BlockingCallUnderLock] Blocking call under lock: Pool.shutdown() holds"
                + " the monitor of a Pool (taken at Pool.java:13) and calls Worker.stop(boolean) ->"
                + " Thread.join() (Worker.java:9, by its summary), which waits for another thread."
                + " Every thread that needs the monitor of a Pool waits as long, such as"
                + " Pool.size() (Pool.java:17), which takes it without blocking");
  }

  @Test
  void recompilingOneFileAloneAgainstTheEarlierOutputStillSeesTheChain() {
    TwoBuilds builds = new TwoBuilds(root);
    Run whole =
        builds.compile(
            "full",
            EndToEnd.ALL_CHECKS,
            List.of(),
            "com/acme/lib/Config.java",
            CONFIG,
            "com/acme/app/Handler.java",
            HANDLER);
    Run handlerAlone =
        builds.compile(
            "incremental",
            EndToEnd.ALL_CHECKS,
            List.of(whole.output()),
            "com/acme/app/Handler.java",
            HANDLER);

    assertThat(whole.diagnostics()).hasSize(1);
    assertThat(handlerAlone.diagnostics().get(0)).contains("by its summary), which blocks on file I/O");
    assertThat(handlerAlone.diagnostics().get(0))
        .isEqualTo(whole.diagnostics().get(0).replace("(Config.java:12)", "(Config.java:12, by its summary)"));
  }

  @Test
  void aClassCompiledFromSourceWinsOverItsOldSummary() {
    TwoBuilds builds = new TwoBuilds(root);
    Run library = builds.compile("lib", EndToEnd.ALL_CHECKS, List.of(), "com/acme/lib/Config.java", CONFIG);
    String nonBlockingConfig =
        """
        package com.acme.lib;

        public final class Config {
          public static int load(String path) {
            return path.length();
          }

          public static int cached() {
            return 42;
          }
        }
        """;
    Run app =
        builds.compile(
            "app",
            EndToEnd.ALL_CHECKS,
            List.of(library.output()),
            "com/acme/lib/Config.java",
            nonBlockingConfig,
            "com/acme/app/Handler.java",
            HANDLER);
    Path summary = library.output().resolve("com/acme/lib/Config.hangcheck");
    assertThat(Files.exists(summary)).isTrue();
    Run recompiledLibrary =
        builds.compile("lib", EndToEnd.ALL_CHECKS, List.of(), "com/acme/lib/Config.java", nonBlockingConfig);
    Run appAgainstTheNewLibrary =
        builds.compile(
            "app2", EndToEnd.ALL_CHECKS, List.of(recompiledLibrary.output()), "com/acme/app/Handler.java", HANDLER);

    assertThat(app.diagnostics()).isEmpty();
    assertThat(Files.exists(summary)).isFalse();
    assertThat(appAgainstTheNewLibrary.diagnostics()).isEmpty();
  }

  @Test
  void summariesAreTheSameBytesWhateverTheOrderOfTheFiles() throws IOException {
    TwoBuilds builds = new TwoBuilds(root);
    Run first =
        builds.compile(
            "one", EndToEnd.ALL_CHECKS, List.of(), "com/acme/lib/Config.java", CONFIG, "com/acme/lib/Worker.java", WORKER);
    Run second =
        builds.compile(
            "two", EndToEnd.ALL_CHECKS, List.of(), "com/acme/lib/Worker.java", WORKER, "com/acme/lib/Config.java", CONFIG);

    Path summaries = Path.of("com", "acme", "lib");
    for (String name : List.of("Config.hangcheck", "Worker.hangcheck")) {
      byte[] one = Files.readAllBytes(first.output().resolve(summaries).resolve(name));
      byte[] two = Files.readAllBytes(second.output().resolve(summaries).resolve(name));
      assertThat(two).isEqualTo(one);
    }
    assertThat(Files.readString(first.output().resolve(summaries).resolve("Config.hangcheck"), UTF_8))
        .isEqualTo(
            "hangcheck-summaries 2\n"
                + "blocks\tcom.acme.lib.Config#load(java.lang.String)\tFILE\t-\tConfig.read(String) ->"
                + " new FileInputStream(String)\tConfig.java:12\t-\n");
  }

  @Test
  void onlyBlockingAtMostOneCallBelowAMethodIsWritten() throws IOException {
    TwoBuilds builds = new TwoBuilds(root);
    Run library =
        builds.compile(
            "lib",
            EndToEnd.ALL_CHECKS,
            List.of(),
            "com/acme/lib/Deep.java",
            """
            package com.acme.lib;

            public class Deep {
              public void a() throws InterruptedException {
                b();
              }

              public void b() throws InterruptedException {
                c();
              }

              public void c() throws InterruptedException {
                Thread.sleep(10);
              }

              private void hidden() throws InterruptedException {
                Thread.sleep(10);
              }
            }
            """);

    assertThat(Files.readString(library.output().resolve("com/acme/lib/Deep.hangcheck"), UTF_8))
        .isEqualTo(
            "hangcheck-summaries 2\n"
                + "blocks\tcom.acme.lib.Deep#b()\tSLEEP\t-\tDeep.c() -> Thread.sleep(long)\tDeep.java:13\t-\n"
                + "blocks\tcom.acme.lib.Deep#c()\tSLEEP\t-\tThread.sleep(long)\tDeep.java:13\t-\n");
  }

  @Test
  void theCloneOfAnArrayBelongsToNoClassAndIsNoLibraryCall() {
    TwoBuilds builds = new TwoBuilds(root);
    Run run =
        builds.compile(
            "lib",
            EndToEnd.ALL_CHECKS,
            List.of(),
            "com/acme/lib/Copies.java",
            """
            package com.acme.lib;

            public class Copies {
              private final int[] values = new int[4];

              public synchronized int[] snapshot() {
                return (int[]) values.clone();
              }
            }
            """);

    assertThat(run.succeeded()).isTrue();
    assertThat(run.diagnostics()).isEmpty();
  }

  @Test
  void constructorsNestedClassesAndGenericMethodsAreFoundByTheirErasedSignatures() {
    TwoBuilds builds = new TwoBuilds(root);
    Run library =
        builds.compile(
            "lib",
            EndToEnd.ALL_CHECKS,
            List.of(),
            "com/acme/lib/Remote.java",
            """
            package com.acme.lib;

            import java.io.IOException;
            import java.net.Socket;
            import java.util.List;

            public class Remote {
              public static class Session {
                private final Socket socket;

                public Session(String host) throws IOException {
                  this.socket = new Socket(host, 80);
                }
              }

              public static <T extends Comparable<T>> int send(List<T> items, T[] extra, int n)
                  throws InterruptedException {
                Thread.sleep(n);
                return items.size() + extra.length;
              }
            }
            """);
    Run app =
        builds.compile(
            "app",
            EndToEnd.ALL_CHECKS,
            List.of(library.output()),
            "com/acme/app/Client.java",
            """
            package com.acme.app;

            import com.acme.lib.Remote;
            import java.util.List;

            class Client {
              private Remote.Session session;

              synchronized void connect() throws Exception {
                session = new Remote.Session("db");
                Remote.send(List.of("a"), new String[0], 10);
              }

              synchronized boolean isConnected() {
                return session != null;
              }
            }
            """);

    assertThat(app.diagnostics()).hasSize(2);
    assertThat(app.diagnostics().get(0))
        .contains("calls new Remote.Session(String) -> new Socket(String, int) (Remote.java:12, by its summary), which blocks on network I/O");
    assertThat(app.diagnostics().get(1))
        .contains("calls Remote.send(List, T[], int) -> Thread.sleep(long) (Remote.java:18, by its summary), which sleeps");
  }

  @Test
  void aCorruptedSummaryIsIgnoredWithOneNoteNamingIt() throws IOException {
    TwoBuilds builds = new TwoBuilds(root);
    Run library = builds.compile("lib", EndToEnd.ALL_CHECKS, List.of(), "com/acme/lib/Config.java", CONFIG);
    Path summary = library.output().resolve("com/acme/lib/Config.hangcheck");
    Files.writeString(summary, "hangcheck-blocking-summaries 0\ngarbage\n", UTF_8);
    Run app =
        builds.compile(
            "app", EndToEnd.ALL_CHECKS, List.of(library.output()), "com/acme/app/Handler.java", HANDLER);

    assertThat(app.succeeded()).isTrue();
    assertThat(app.notes()).hasSize(1);
    assertThat(app.notes().get(0)).contains("Hangcheck: ignored the summary ");
    assertThat(app.notes().get(0)).contains("com/acme/lib/Config.hangcheck (not a summary of this version");
    assertThat(app.diagnostics().stream().filter(d -> d.contains("[BlockingCall"))).isEmpty();
  }

  @Test
  void summariesFalseNeitherWritesNorReads() throws IOException {
    TwoBuilds builds = new TwoBuilds(root);
    String off = EndToEnd.ALL_CHECKS + " -XepOpt:Hangcheck:Summaries=false";
    Run unwritten = builds.compile("lib-off", off, List.of(), "com/acme/lib/Config.java", CONFIG);
    Run library = builds.compile("lib", EndToEnd.ALL_CHECKS, List.of(), "com/acme/lib/Config.java", CONFIG);
    Run unread =
        builds.compile("app", off, List.of(library.output()), "com/acme/app/Handler.java", HANDLER);

    assertThat(Files.exists(unwritten.output().resolve("com/acme/lib/Config.hangcheck"))).isFalse();
    try (Stream<Path> written =
        Files.list(library.output().resolve("com/acme/lib"))
            .filter(file -> file.toString().endsWith(".hangcheck"))) {
      assertThat(written.count()).isEqualTo(1);
    }
    assertThat(unread.diagnostics()).isEmpty();
  }
}
