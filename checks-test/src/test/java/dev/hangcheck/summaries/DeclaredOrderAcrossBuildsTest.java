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
 * A library declares the order of its locks; the annotations reach its class files, and an
 * application compiled later against its jar is held to that order.
 */
final class DeclaredOrderAcrossBuildsTest {

  @TempDir Path root;

  private static final String[] LIBRARY = {
    "com/acme/bank/Account.java",
    """
    package com.acme.bank;

    import dev.hangcheck.annotations.AcquiredBefore;

    @AcquiredBefore("Ledger")
    public class Account {
      public synchronized void deposit(long amount) {}
    }
    """,
    "com/acme/bank/Ledger.java",
    """
    package com.acme.bank;

    public class Ledger {
      public synchronized void post(Account account) {}
    }
    """
  };

  private static final String TELLER =
      """
      package com.acme.app;

      import com.acme.bank.Account;
      import com.acme.bank.Ledger;

      class Teller {
        void close(Ledger ledger, Account account) {
          synchronized (ledger) {
            account.deposit(1);
          }
        }

        void open(Ledger ledger, Account account) {
          synchronized (account) {
            ledger.post(account);
          }
        }
      }
      """;

  @Test
  void aLibrarysDeclaredOrderHoldsTheApplicationCompiledAgainstItsJar() {
    TwoBuilds builds = new TwoBuilds(root);
    Run library = builds.compile("lib", EndToEnd.ALL_CHECKS, List.of(), LIBRARY);
    Path jar = builds.jar(library.output(), "bank");
    Run app = builds.compile("app", EndToEnd.ALL_CHECKS, List.of(jar), "com/acme/app/Teller.java", TELLER);

    assertThat(library.diagnostics()).isEmpty();
    assertThat(app.diagnostics())
        .containsExactly(
            "Teller.java:9: [LockOrderViolation] Lock-order violation: the declared order puts the"
                + " monitor of a Account before the monitor of a Ledger (@AcquiredBefore on Account"
                + " (Account, bank.jar)), but Teller.close(Ledger, Account) acquires the monitor of"
                + " a Account, which Account.deposit(long) takes (Account.java:7) while holding"
                + " `ledger` (the monitor of a Ledger). A thread that keeps to the"
                + " declared order deadlocks with this one: acquire the monitor of a Account before"
                + " the monitor of a Ledger, or release the monitor of a Ledger first.");
  }
}
