package dev.hangcheck.summaries;

import static com.google.common.truth.Truth.assertThat;

import dev.hangcheck.testing.EndToEnd;
import dev.hangcheck.testing.TwoBuilds;
import dev.hangcheck.testing.TwoBuilds.Run;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lock orders across javac runs: a library compiled first says in its summaries which locks its
 * methods take and which overridable methods it calls holding one, and a later compilation closes
 * the cycles that run through it.
 */
final class LockSummariesTest {

  /** A library that calls its listeners while holding its own lock. */
  private static final String BUS =
      """
      package com.acme.lib;

      import java.util.ArrayList;
      import java.util.List;

      public class Bus {
        public interface Listener {
          void onEvent(String event);
        }

        private final Object lock = new Object();
        private final List<Listener> listeners = new ArrayList<>();

        public void subscribe(Listener listener) {
          synchronized (lock) {
            listeners.add(listener);
          }
        }

        public void publish(String event) {
          synchronized (lock) {
            for (Listener listener : listeners) {
              listener.onEvent(event);
            }
          }
        }
      }
      """;

  /** An application whose listener takes its lock, and which subscribes while holding it. */
  private static final String CATALOG =
      """
      package com.acme.app;

      import com.acme.lib.Bus;

      class Catalog implements Bus.Listener {
        private final Object lock = new Object();
        private final Bus bus = new Bus();
        private int events;

        @Override
        public void onEvent(String event) {
          synchronized (lock) {
            events++;
          }
        }

        void start() {
          synchronized (lock) {
            bus.subscribe(this);
          }
        }

        static Catalog create() {
          Catalog catalog = new Catalog();
          catalog.start();
          return catalog;
        }
      }
      """;

  @TempDir Path root;

  /** Bus and Catalog compiled together, into {@code name/classes}. */
  private static Run bothFiles(TwoBuilds builds, String name) {
    return builds.compile(
        name,
        EndToEnd.LOCK_ORDER,
        List.of(),
        "com/acme/lib/Bus.java",
        BUS,
        "com/acme/app/Catalog.java",
        CATALOG);
  }


  @Test
  void aListenerCalledUnderTheLibrarysLockThatCallsBackIntoTheLibraryIsACycle() {
    TwoBuilds builds = new TwoBuilds(root);
    Run library = builds.compile("lib", EndToEnd.LOCK_ORDER, List.of(), "com/acme/lib/Bus.java", BUS);
    Run app =
        builds.compile(
            "app", EndToEnd.LOCK_ORDER, List.of(library.output()), "com/acme/app/Catalog.java", CATALOG);

    assertThat(library.diagnostics()).isEmpty();
    assertThat(app.diagnostics())
        .containsExactly(
            "Catalog.java:12: [LockOrderInversion] Lock-order cycle Bus.lock -> Catalog.lock ->"
                + " Bus.lock. Here Catalog.onEvent(String) acquires Catalog.lock while holding"
                + " Bus.lock, which Bus.publish(String) holds when it calls this (Bus.java:23)."
                + " Elsewhere: Catalog.start() (Catalog.java:19) acquires Bus.lock, which"
                + " Bus.subscribe(Listener) takes (Bus.java:15) while holding Catalog.lock. Threads"
                + " taking these paths at the same time deadlock: acquire Bus.lock and Catalog.lock"
                + " in one global order everywhere.",
            "Catalog.java:19: [LockOrderInversion] Lock-order cycle Catalog.lock -> Bus.lock ->"
                + " Catalog.lock. Here Catalog.start() acquires Bus.lock, which"
                + " Bus.subscribe(Listener) takes (Bus.java:15) while holding Catalog.lock."
                + " Elsewhere: Catalog.onEvent(String) (Catalog.java:12)"
                + " acquires Catalog.lock while holding Bus.lock, which Bus.publish(String) holds"
                + " when it calls this (Bus.java:23). Threads taking these paths at the same time"
                + " deadlock: acquire Catalog.lock and Bus.lock in one global order everywhere.")
        .inOrder();
  }

  @Test
  void withoutSummariesTheCycleIsNotSeen() {
    TwoBuilds builds = new TwoBuilds(root);
    String off = EndToEnd.LOCK_ORDER + " -XepOpt:Hangcheck:Summaries=false";
    Run library = builds.compile("lib", EndToEnd.LOCK_ORDER, List.of(), "com/acme/lib/Bus.java", BUS);
    Run app = builds.compile("app", off, List.of(library.output()), "com/acme/app/Catalog.java", CATALOG);

    assertThat(app.diagnostics()).isEmpty();
  }

  @Test
  void oneOrderOnlyIsNoCycle() {
    String subscribingWithoutItsLock =
        CATALOG.replace(
            "synchronized (lock) {\n      bus.subscribe(this);\n    }", "bus.subscribe(this);");
    assertThat(subscribingWithoutItsLock).isNotEqualTo(CATALOG);
    TwoBuilds builds = new TwoBuilds(root);
    Run library = builds.compile("lib", EndToEnd.LOCK_ORDER, List.of(), "com/acme/lib/Bus.java", BUS);
    Run app =
        builds.compile(
            "app",
            EndToEnd.LOCK_ORDER,
            List.of(library.output()),
            "com/acme/app/Catalog.java",
            subscribingWithoutItsLock);

    assertThat(app.diagnostics()).isEmpty();
  }

  @Test
  void aLockTheLibraryTakesInAHelperOneCallDownIsTakenAtTheCall() {
    String busWithHelper =
        BUS.replace(
            """
              public void subscribe(Listener listener) {
                synchronized (lock) {
                  listeners.add(listener);
                }
              }
            """,
            """
              public void subscribe(Listener listener) {
                add(listener);
              }

              private void add(Listener listener) {
                synchronized (lock) {
                  listeners.add(listener);
                }
              }
            """);
    assertThat(busWithHelper).isNotEqualTo(BUS);
    TwoBuilds builds = new TwoBuilds(root);
    Run library =
        builds.compile("lib", EndToEnd.LOCK_ORDER, List.of(), "com/acme/lib/Bus.java", busWithHelper);
    Run app =
        builds.compile(
            "app", EndToEnd.LOCK_ORDER, List.of(library.output()), "com/acme/app/Catalog.java", CATALOG);

    assertThat(app.diagnostics()).hasSize(2);
    assertThat(app.diagnostics().get(1))
        .contains(
            "Here Catalog.start() acquires Bus.lock, which Bus.subscribe(Listener) takes"
                + " (Bus.java:19) while holding Catalog.lock");
  }

  @Test
  void aSummaryWhoseLockNamesAFamilyItDoesNotDefineIsIgnoredWithOneNote() throws Exception {
    TwoBuilds builds = new TwoBuilds(root);
    Run library = builds.compile("lib", EndToEnd.LOCK_ORDER, List.of(), "com/acme/lib/Bus.java", BUS);
    Path summary = library.output().resolve("com/acme/lib/Bus.hangcheck");
    String text = java.nio.file.Files.readString(summary);
    assertThat(text).contains("\t#0\t");
    java.nio.file.Files.writeString(summary, text.replace("\t#0\t", "\t#7\t"));
    Run app =
        builds.compile(
            "app", EndToEnd.LOCK_ORDER, List.of(library.output()), "com/acme/app/Catalog.java", CATALOG);

    assertThat(app.diagnostics()).hasSize(1);
    assertThat(app.diagnostics().get(0)).contains("unknown lock family in");
  }

  @Test
  void anOrderALibraryMethodMakesBetweenItsArgumentsIsMadeOnTheCallersObjects() {
    TwoBuilds builds = new TwoBuilds(root);
    Run library =
        builds.compile(
            "lib",
            EndToEnd.LOCK_ORDER,
            List.of(),
            "com/acme/lib/Ledger.java",
            """
            package com.acme.lib;

            public final class Ledger {
              public static final class Account {
                long balance;
              }

              public static void transfer(Account from, Account to, long amount) {
                synchronized (from) {
                  synchronized (to) {
                    from.balance -= amount;
                    to.balance += amount;
                  }
                }
              }
            }
            """);
    Run app =
        builds.compile(
            "app",
            EndToEnd.LOCK_ORDER,
            List.of(library.output()),
            "com/acme/app/Teller.java",
            """
            package com.acme.app;

            import com.acme.lib.Ledger;

            class Teller {
              private final Ledger.Account checking = new Ledger.Account();
              private final Ledger.Account savings = new Ledger.Account();

              void payRent() {
                Ledger.transfer(checking, savings, 100);
              }

              void refund() {
                Ledger.transfer(savings, checking, 100);
              }
            }
            """);

    assertThat(app.diagnostics())
        .containsExactly(
            "Teller.java:10: [LockOrderInversion] Lock-order cycle Teller.checking ->"
                + " Teller.savings -> Teller.checking. Here Teller.payRent() acquires"
                + " Teller.savings, which Ledger.transfer(Account, Account, long) takes"
                + " (Ledger.java:10) while holding Teller.checking. Elsewhere: Teller.refund()"
                + " (Teller.java:14) acquires Teller.checking, which Ledger.transfer(Account,"
                + " Account, long) takes (Ledger.java:10) while holding Teller.savings. Threads"
                + " taking these paths at the same time deadlock: acquire Teller.checking and"
                + " Teller.savings in one global order everywhere.",
            "Teller.java:14: [LockOrderInversion] Lock-order cycle Teller.savings ->"
                + " Teller.checking -> Teller.savings. Here Teller.refund() acquires"
                + " Teller.checking, which Ledger.transfer(Account, Account, long) takes"
                + " (Ledger.java:10) while holding Teller.savings. Elsewhere: Teller.payRent()"
                + " (Teller.java:10) acquires Teller.savings, which Ledger.transfer(Account,"
                + " Account, long) takes (Ledger.java:10) while holding Teller.checking. Threads"
                + " taking these paths at the same time deadlock: acquire Teller.savings and"
                + " Teller.checking in one global order everywhere.")
        .inOrder();
  }

  @Test
  void eachFileOfACycleRecompiledAloneAgainstTheEarlierOutputStillClosesIt() {
    TwoBuilds builds = new TwoBuilds(root);
    Run whole = bothFiles(builds, "full");
    Run catalogAlone =
        builds.compile(
            "catalog-again",
            EndToEnd.LOCK_ORDER,
            List.of(whole.output()),
            "com/acme/app/Catalog.java",
            CATALOG);

    assertThat(whole.diagnostics()).hasSize(2);
    assertThat(catalogAlone.diagnostics()).hasSize(2);
  }

  @Test
  void theLibraryHalfOfACycleRecompiledAloneStillClosesIt() {
    TwoBuilds builds = new TwoBuilds(root);
    Run whole = bothFiles(builds, "full");
    Run busAlone =
        builds.compile(
            "bus-again", EndToEnd.LOCK_ORDER, List.of(whole.output()), "com/acme/lib/Bus.java", BUS);

    assertThat(whole.diagnostics()).hasSize(2);
    assertThat(busAlone.diagnostics())
        .containsExactly(
            "Bus.java:15: [LockOrderInversion] Lock-order cycle Catalog.lock -> Bus.lock ->"
                + " Catalog.lock. Here Bus.subscribe(Listener) acquires Bus.lock while holding"
                + " Catalog.lock, which Catalog.start() holds when it calls this (Catalog.java:19)."
                + " Elsewhere: Bus.publish(String) (Bus.java:23) acquires Catalog.lock, which"
                + " Catalog.onEvent(String) takes (Catalog.java:12) while holding Bus.lock. Threads"
                + " taking these paths at the same time deadlock: acquire Catalog.lock and Bus.lock"
                + " in one global order everywhere.",
            "Bus.java:23: [LockOrderInversion] Lock-order cycle Bus.lock -> Catalog.lock ->"
                + " Bus.lock. Here Bus.publish(String) acquires Catalog.lock, which"
                + " Catalog.onEvent(String) takes (Catalog.java:12) while holding Bus.lock."
                + " Elsewhere: Bus.subscribe(Listener) (Bus.java:15) acquires Bus.lock while holding"
                + " Catalog.lock, which Catalog.start() holds when it calls this (Catalog.java:19)."
                + " Threads taking these paths at the same time deadlock: acquire Bus.lock and"
                + " Catalog.lock in one global order everywhere.")
        .inOrder();
  }

  @Test
  void whatAClassCompiledAgainSaysReplacesWhatItsOldSelfGaveAnotherClassesSummary() {
    TwoBuilds builds = new TwoBuilds(root);
    Run whole = bothFiles(builds, "full");
    // Both compiled again: the old summary's facts from Catalog are Catalog's own source's now.
    Run both =
        builds.compile(
            "both-again",
            EndToEnd.LOCK_ORDER,
            List.of(whole.output()),
            "com/acme/lib/Bus.java",
            BUS,
            "com/acme/app/Catalog.java",
            CATALOG.replace("bus.subscribe(this);", "").replace("synchronized (lock) {\n      events++;", "{\n      events++;"));

    assertThat(whole.diagnostics()).hasSize(2);
    assertThat(both.diagnostics()).isEmpty();
  }

  @Test
  void whatAClassCompiledAloneNoLongerDoesLeavesTheOtherClassesSummaryOfItsOutput() {
    TwoBuilds builds = new TwoBuilds(root);
    Run whole = bothFiles(builds, "module");
    // An incremental build into the same output: Catalog edited to subscribe without its lock...
    String unlocked =
        CATALOG.replace(
            "    synchronized (lock) {\n      bus.subscribe(this);\n    }", "    bus.subscribe(this);");
    Run catalogAgain =
        builds.compile(
            "module", EndToEnd.LOCK_ORDER, List.of(whole.output()), "com/acme/app/Catalog.java", unlocked);
    // ...then Bus edited and compiled alone: the cycle is gone, and no old fact brings it back.
    Run busAgain =
        builds.compile("module", EndToEnd.LOCK_ORDER, List.of(whole.output()), "com/acme/lib/Bus.java", BUS);

    assertThat(unlocked).isNotEqualTo(CATALOG);
    assertThat(whole.diagnostics()).hasSize(2);
    assertThat(catalogAgain.diagnostics()).isEmpty();
    assertThat(busAgain.diagnostics()).isEmpty();
  }

  @Test
  void theListenerCycleIsFoundThroughALibraryJar() {
    TwoBuilds builds = new TwoBuilds(root);
    Run library = builds.compile("lib", EndToEnd.LOCK_ORDER, List.of(), "com/acme/lib/Bus.java", BUS);
    Run app =
        builds.compile(
            "app",
            EndToEnd.LOCK_ORDER,
            List.of(builds.jar(library.output(), "bus")),
            "com/acme/app/Catalog.java",
            CATALOG);

    assertThat(app.diagnostics()).hasSize(2);
    assertThat(app.diagnostics().get(0))
        .contains("while holding Bus.lock, which Bus.publish(String) holds when it calls this");
  }
}
