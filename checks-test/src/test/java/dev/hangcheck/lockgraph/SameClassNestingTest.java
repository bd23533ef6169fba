package dev.hangcheck.lockgraph;

import com.google.errorprone.CompilationTestHelper;
import dev.hangcheck.checks.LockOrderInversion;
import org.junit.jupiter.api.Test;

/** Two objects of one class locked in the order of the arguments: transfer(a, b) vs (b, a). */
final class SameClassNestingTest {

  private final CompilationTestHelper helper =
      CompilationTestHelper.newInstance(LockOrderInversion.class, getClass());

  @Test
  void nestedParametersOfOneClass() {
    helper
        .addSourceLines(
            "Bank.java",
            """
            class Account {
              final Object lock = new Object();
              long balance;

              synchronized void transferTo(Account to, long amount) {
                // BUG: Diagnostic contains: Account.transferTo(Account, long) acquires the lock of `to` while holding the lock of `this` (Bank.java:5), two locks of the same class Account
                synchronized (to) {
                  balance -= amount;
                  to.balance += amount;
                }
              }
            }

            class Bank {
              static void transfer(Account from, Account to, long amount) {
                synchronized (from) {
                  // BUG: Diagnostic contains: acquires the lock of `to` while holding the lock of `from`
                  synchronized (to) {
                    from.balance -= amount;
                  }
                }
              }

              static void transferWithFieldLocks(Account from, Account to) {
                synchronized (from.lock) {
                  // BUG: Diagnostic contains: acquires the lock of `to.lock` while holding the lock of `from.lock`
                  synchronized (to.lock) {}
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void orderedByAConditionIsFine() {
    helper
        .addSourceLines(
            "Bank.java",
            """
            class Account {
              final long id;
              long balance;

              Account(long id) {
                this.id = id;
              }
            }

            class Bank {
              static void transfer(Account from, Account to, long amount) {
                if (from.id < to.id) {
                  synchronized (from) {
                    synchronized (to) {
                      from.balance -= amount;
                    }
                  }
                } else {
                  synchronized (to) {
                    synchronized (from) {
                      from.balance -= amount;
                    }
                  }
                }
              }

              static void transferOrdered(Account from, Account to, long amount) {
                Account first = from.id < to.id ? from : to;
                Account second = first == from ? to : from;
                synchronized (first) {
                  synchronized (second) {
                    from.balance -= amount;
                  }
                }
              }

              static void sameObjectTwice(Account account) {
                synchronized (account) {
                  synchronized (account) {}
                }
              }

              static void differentClasses(Account account, String name) {
                synchronized (account) {
                  synchronized (name) {}
                }
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }
}
