package dev.hangcheck.lockgraph;

import com.google.errorprone.CompilationTestHelper;
import com.google.errorprone.scanner.ScannerSupplier;
import dev.hangcheck.checks.LockOrderInversion;
import dev.hangcheck.checks.LockOrderViolation;
import org.junit.jupiter.api.Test;

/** A declared lock order, written on fields, classes or in a flag, and the code held to it. */
final class LockOrderViolationTest {

  private final CompilationTestHelper helper =
      CompilationTestHelper.newInstance(LockOrderViolation.class, getClass());

  private final CompilationTestHelper bothChecks =
      CompilationTestHelper.newInstance(
          ScannerSupplier.fromBugCheckerClasses(LockOrderInversion.class, LockOrderViolation.class),
          getClass());

  private static final String BANK =
      """
      package bank;

      import dev.hangcheck.annotations.AcquiredBefore;

      public class Bank {
        @AcquiredBefore("ledger")
        final Object accounts = new Object();
        final Object ledger = new Object();

        void transfer() {
          synchronized (accounts) {
            synchronized (ledger) {}
          }
        }
      """;

  @Test
  void acquiringAFieldLockUnderOneDeclaredAfterItIsReported() {
    helper
        .addSourceLines(
            "Bank.java",
            BANK
                + """
                  void audit() {
                    synchronized (ledger) {
                      // BUG: Diagnostic contains: the declared order puts Bank.accounts before Bank.ledger (@AcquiredBefore on Bank.accounts (Bank.java:6)), but Bank.audit() acquires Bank.accounts while holding Bank.ledger. A thread that keeps to the declared order deadlocks with this one: acquire Bank.accounts before Bank.ledger, or release Bank.ledger first.
                      synchronized (accounts) {}
                    }
                  }
                }
                """)
        .doTest();
  }

  @Test
  void theDeclaredDirectionIsQuiet() {
    helper.addSourceLines("Bank.java", BANK + "}\n").expectNoDiagnostics().doTest();
  }

  @Test
  void throughThreeCallsTheCallIsReportedWithItsChain() {
    helper
        .addSourceLines(
            "Bank.java",
            BANK
                + """
                  void audit() {
                    synchronized (ledger) {
                      // BUG: Diagnostic contains: through calls Bank.check() -> Bank.verify() -> Bank.lockAccounts() (which acquires it at Bank.java:27)
                      check();
                    }
                  }

                  private void check() { verify(); }

                  private void verify() { lockAccounts(); }

                  private void lockAccounts() {
                    synchronized (accounts) {}
                  }
                }
                """)
        .doTest();
  }

  @Test
  void aClassDeclaresTheMonitorOfItsInstancesAndOfSubclasses() {
    helper
        .addSourceLines(
            "Account.java",
            """
            import dev.hangcheck.annotations.AcquiredBefore;

            @AcquiredBefore("Journal")
            class Account {
              synchronized void post(Journal journal) {
                journal.record();
              }
            }

            class SavingsAccount extends Account {}

            class Journal {
              synchronized void record() {}

              synchronized void reconcile(SavingsAccount account) {
                // BUG: Diagnostic contains: puts the monitor of a Account before the monitor of a Journal
                account.post(this);
              }
            }
            """)
        .doTest();
  }

  @Test
  void acquiredAfterIsTheMirror() {
    helper
        .addSourceLines(
            "Cache.java",
            """
            import dev.hangcheck.annotations.AcquiredAfter;
            import java.util.concurrent.locks.ReentrantLock;

            class Cache {
              final ReentrantLock index = new ReentrantLock();
              @AcquiredAfter("index")
              final ReentrantLock entries = new ReentrantLock();

              void evict() {
                entries.lock();
                try {
                  // BUG: Diagnostic contains: puts Cache.index before Cache.entries (@AcquiredAfter on Cache.entries
                  index.lock();
                  index.unlock();
                } finally {
                  entries.unlock();
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void theOrderIsTransitiveAndTheMessageShowsEachStep() {
    helper
        .addSourceLines(
            "Store.java",
            """
            import dev.hangcheck.annotations.AcquiredBefore;

            class Store {
              @AcquiredBefore("table") final Object schema = new Object();
              @AcquiredBefore("page") final Object table = new Object();
              final Object page = new Object();

              void flush() {
                synchronized (page) {
                  // BUG: Diagnostic contains: puts Store.schema before Store.page (Store.schema before Store.table (@AcquiredBefore on Store.schema (Store.java:4)), Store.table before Store.page (@AcquiredBefore on Store.table (Store.java:5)))
                  synchronized (schema) {}
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void theFlagDeclaresAnOrderForCodeThatCannotBeAnnotated() {
    helper
        .setArgs("-XepOpt:Hangcheck:LockOrder=shop.Orders.class,shop.Stock.items")
        .addSourceLines(
            "Stock.java",
            """
            package shop;

            class Stock {
              final Object items = new Object();

              void restock() {
                synchronized (items) {
                  // BUG: Diagnostic contains: puts Orders.class before Stock.items (-XepOpt:Hangcheck:LockOrder)
                  Orders.count();
                }
              }
            }

            class Orders {
              static synchronized int count() { return 0; }
            }
            """)
        .doTest();
  }

  @Test
  void typesResolveAsInTheAnnotatedFile() {
    helper
        .addSourceLines(
            "Registry.java",
            """
            package app.registry;

            public class Registry {
              public final Object lock = new Object();

              public static class Entry {
                public synchronized void touch() {}
              }
            }
            """)
        .addSourceLines(
            "Service.java",
            """
            package app;

            import app.registry.Registry;
            import dev.hangcheck.annotations.AcquiredBefore;

            @AcquiredBefore({"Registry.lock", "Registry.Entry", "app.registry.Registry.class"})
            class Service {
              synchronized void start() {}

              void stop(Registry registry, Registry.Entry entry) {
                synchronized (registry.lock) {
                  // BUG: Diagnostic contains: puts the monitor of a Service before Registry.lock
                  start();
                }
                synchronized (Registry.class) {
                  // BUG: Diagnostic contains: puts the monitor of a Service before Registry.class
                  start();
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void aTryLockCannotWaitForeverAndIsNoViolation() {
    helper
        .addSourceLines(
            "Pool.java",
            """
            import dev.hangcheck.annotations.AcquiredBefore;
            import java.util.concurrent.TimeUnit;
            import java.util.concurrent.locks.ReentrantLock;

            class Pool {
              @AcquiredBefore("slots") final ReentrantLock queue = new ReentrantLock();
              final ReentrantLock slots = new ReentrantLock();

              void drain() throws InterruptedException {
                slots.lock();
                try {
                  if (queue.tryLock()) {
                    queue.unlock();
                  }
                  if (queue.tryLock(10, TimeUnit.MILLISECONDS)) {
                    queue.unlock();
                  }
                } finally {
                  slots.unlock();
                }
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void reacquiringALockAlreadyHeldIsNoViolation() {
    helper
        .addSourceLines(
            "Bank.java",
            BANK
                + """
                  void nested() {
                    synchronized (accounts) {
                      synchronized (ledger) {
                        synchronized (accounts) {}
                      }
                    }
                  }
                }
                """)
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void aNameThatDenotesNothingIsReportedWithTheOneMeant() {
    helper
        .addSourceLines(
            "Bank.java",
            """
            import dev.hangcheck.annotations.AcquiredBefore;

            class Bank {
              // BUG: Diagnostic contains: @AcquiredBefore names "ledgr", which is no field of Bank, no class and no field of a class that this file can see; did you mean "ledger"?
              @AcquiredBefore("ledgr") final Object accounts = new Object();
              final Object ledger = new Object();
            }
            """)
        .doTest();
  }

  @Test
  void aCyclicDeclarationIsReportedAtEachOfItsAnnotations() {
    helper
        .addSourceLines(
            "Bank.java",
            """
            import dev.hangcheck.annotations.AcquiredBefore;

            class Bank {
              // BUG: Diagnostic contains: the declared lock order is cyclic: Bank.accounts before Bank.ledger here, and Bank.ledger before Bank.accounts (@AcquiredBefore on Bank.ledger (Bank.java:7))
              @AcquiredBefore("ledger") final Object accounts = new Object();
              // BUG: Diagnostic contains: the declared lock order is cyclic: Bank.ledger before Bank.accounts here
              @AcquiredBefore("accounts") final Object ledger = new Object();

              void audit() {
                synchronized (ledger) {
                  synchronized (accounts) {}
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void suppressedOnTheMethodThatBreaksTheOrder() {
    helper
        .addSourceLines(
            "Bank.java",
            BANK
                + """
                  @SuppressWarnings("LockOrderViolation") // runs once, before any other thread starts
                  void audit() {
                    synchronized (ledger) {
                      synchronized (accounts) {}
                    }
                  }
                }
                """)
        .expectNoDiagnostics()
        .doTest();
  }

  private static final String BOTH_ORDERS =
      BANK
          + """
            void audit() {
              synchronized (ledger) {
                // BUG: Diagnostic contains: %s
                synchronized (accounts) {}
              }
            }
          }
          """;

  @Test
  void aCycleThroughAViolationIsReportedOnceByLockOrderViolation() {
    bothChecks
        .addSourceLines("Bank.java", BOTH_ORDERS.formatted("[LockOrderViolation] Lock-order violation"))
        .doTest();
  }

  @Test
  void withLockOrderViolationOffTheCycleIsReportedAsBefore() {
    bothChecks
        .setArgs("-Xep:LockOrderViolation:OFF")
        .addSourceLines(
            "Bank.java",
            """
            import dev.hangcheck.annotations.AcquiredBefore;

            class Bank {
              @AcquiredBefore("ledger") final Object accounts = new Object();
              final Object ledger = new Object();

              void transfer() {
                synchronized (accounts) {
                  // BUG: Diagnostic contains: [LockOrderInversion] Lock-order cycle
                  synchronized (ledger) {}
                }
              }

              void audit() {
                synchronized (ledger) {
                  // BUG: Diagnostic contains: [LockOrderInversion] Lock-order cycle
                  synchronized (accounts) {}
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void constantNamesEmptyListsAndEnumConstantsPassThrough() {
    helper
        .addSourceLines(
            "Registry.java",
            """
            import dev.hangcheck.annotations.AcquiredAfter;
            import dev.hangcheck.annotations.AcquiredBefore;

            class Registry {
              static final String TABLE = "table";

              @AcquiredBefore(TABLE) final Object index = new Object();
              final Object table = new Object();
              @AcquiredBefore({}) final Object spare = new Object();

              void rebuild() {
                synchronized (table) {
                  // BUG: Diagnostic contains: puts Registry.index before Registry.table
                  synchronized (index) {}
                }
              }

              enum Slot {
                @AcquiredAfter("Registry") FIRST;
              }
            }
            """)
        .doTest();
  }
}
