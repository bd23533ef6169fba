package dev.hangcheck.lockgraph;

import com.google.errorprone.CompilationTestHelper;
import dev.hangcheck.checks.LockOrderInversion;
import org.junit.jupiter.api.Test;

/** The basic shapes of a circular wait, and the look-alikes that are not one. */
final class LockOrderInversionTest {

  private final CompilationTestHelper helper =
      CompilationTestHelper.newInstance(LockOrderInversion.class, getClass());

  @Test
  void twoWorkersWithReentrantLocksInOppositeOrders() {
    helper
        .addSourceLines(
            "Transfers.java",
            """
            import java.util.concurrent.locks.Lock;
            import java.util.concurrent.locks.ReentrantLock;

            class Transfers {
              private final Lock accounts = new ReentrantLock();
              private final Lock audit = new ReentrantLock();

              void deposit() {
                accounts.lock();
                try {
                  // BUG: Diagnostic contains: Lock-order cycle Transfers.accounts -> Transfers.audit -> Transfers.accounts. Here Transfers.deposit() acquires Transfers.audit while holding Transfers.accounts. Elsewhere: Transfers.report() (Transfers.java:26) acquires Transfers.accounts while holding Transfers.audit
                  audit.lock();
                  try {
                  } finally {
                    audit.unlock();
                  }
                } finally {
                  accounts.unlock();
                }
              }

              void report() {
                audit.lock();
                try {
                  // BUG: Diagnostic contains: Here Transfers.report() acquires Transfers.accounts while holding Transfers.audit
                  accounts.lock();
                  try {
                  } finally {
                    accounts.unlock();
                  }
                } finally {
                  audit.unlock();
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void twoWorkersWithSynchronizedInOppositeOrders() {
    helper
        .addSourceLines(
            "Cache.java",
            """
            class Cache {
              private final Object entries = new Object();
              private final Object stats = new Object();

              void put() {
                synchronized (entries) {
                  // BUG: Diagnostic contains: acquire Cache.entries and Cache.stats in one global order everywhere
                  synchronized (stats) {}
                }
              }

              void snapshot() {
                synchronized (stats) {
                  // BUG: Diagnostic contains: Cache.put() (Cache.java:8) acquires Cache.stats while holding Cache.entries
                  synchronized (entries) {}
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void consistentOrderIsFine() {
    helper
        .addSourceLines(
            "Cache.java",
            """
            import java.util.concurrent.locks.ReentrantLock;

            class Cache {
              private final Object entries = new Object();
              private final Object stats = new Object();
              private final ReentrantLock io = new ReentrantLock();

              void put() {
                synchronized (entries) {
                  synchronized (stats) {
                    io.lock();
                    try {
                    } finally {
                      io.unlock();
                    }
                  }
                }
              }

              void snapshot() {
                synchronized (entries) {
                  synchronized (stats) {}
                }
                synchronized (stats) {}
                io.lock();
                try {
                } finally {
                  io.unlock();
                }
                synchronized (entries) {}
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void locksTakenOneAfterTheOtherAreNotNested() {
    helper
        .addSourceLines(
            "Sequence.java",
            """
            import java.util.concurrent.locks.ReentrantLock;

            class Sequence {
              private final ReentrantLock a = new ReentrantLock();
              private final ReentrantLock b = new ReentrantLock();

              void first() {
                a.lock();
                a.unlock();
                b.lock();
                b.unlock();
              }

              void second() {
                b.lock();
                try {
                } finally {
                  b.unlock();
                }
                a.lock();
                try {
                } finally {
                  a.unlock();
                }
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void reentrantReacquisitionIsNotAnEdge() {
    helper
        .addSourceLines(
            "Registry.java",
            """
            import java.util.concurrent.locks.ReentrantLock;

            class Registry {
              private static final Object GLOBAL = new Object();
              private final ReentrantLock lock = new ReentrantLock();

              synchronized void register() {
                synchronized (this) {
                  update();
                }
              }

              synchronized void update() {}

              void nested() {
                lock.lock();
                try {
                  lock.lock();
                  try {
                  } finally {
                    lock.unlock();
                  }
                } finally {
                  lock.unlock();
                }
              }

              void viaAlias() {
                Object alias = GLOBAL;
                synchronized (GLOBAL) {
                  synchronized (alias) {
                    synchronized (Registry.GLOBAL) {}
                  }
                }
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void staticSynchronizedMethodsOfTwoClassesCallingEachOther() {
    helper
        .addSourceLines(
            "Config.java",
            """
            class Config {
              static synchronized void reload() {
                // BUG: Diagnostic contains: Lock-order cycle Config.class -> Metrics.class -> Config.class
                Metrics.reset();
              }

              static synchronized String get() {
                return "";
              }
            }
            """)
        .addSourceLines(
            "Metrics.java",
            """
            class Metrics {
              static synchronized void reset() {}

              static synchronized void publish() {
                // BUG: Diagnostic contains: Here Metrics.publish() acquires Config.class while holding Metrics.class, through calls Config.get() (which acquires it at Config.java:7)
                Config.get();
              }
            }
            """)
        .doTest();
  }

  @Test
  void classLiteralIsTheSameLockAsStaticSynchronized() {
    helper
        .addSourceLines(
            "Pool.java",
            """
            class Pool {
              private static final Object LOCK = new Object();

              static synchronized void grow() {
                // BUG: Diagnostic contains: Pool.class -> Pool.LOCK -> Pool.class
                synchronized (LOCK) {}
              }

              void shrink() {
                synchronized (LOCK) {
                  // BUG: Diagnostic contains: Pool.LOCK -> Pool.class -> Pool.LOCK
                  synchronized (Pool.class) {}
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void localVariableInitialisedFromAFieldIsThatField() {
    helper
        .addSourceLines(
            "Store.java",
            """
            import java.util.concurrent.locks.Lock;
            import java.util.concurrent.locks.ReentrantLock;

            class Store {
              private final Lock read = new ReentrantLock();
              private final Lock write = new ReentrantLock();

              void a() {
                Lock first = read;
                Lock second = this.write;
                first.lock();
                try {
                  // BUG: Diagnostic contains: acquires Store.write while holding Store.read
                  second.lock();
                  second.unlock();
                } finally {
                  first.unlock();
                }
              }

              void b() {
                synchronized (write) {
                  // BUG: Diagnostic contains: acquires Store.read while holding Store.write
                  read.lock();
                  read.unlock();
                }
              }

              void reassignedLocalIsNotNamed(boolean flag) {
                Lock chosen = read;
                if (flag) {
                  chosen = write;
                }
                synchronized (write) {
                  chosen.lock();
                  chosen.unlock();
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void instanceFieldOfAnotherObjectIsTheSameNode() {
    helper
        .addSourceLines(
            "Node.java",
            """
            class Inventory {
              final Object lock = new Object();
              Billing billing;

              void reserve() {
                synchronized (lock) {
                  // BUG: Diagnostic contains: acquires `billing.lock` (Billing.lock) while holding Inventory.lock
                  synchronized (billing.lock) {}
                }
              }
            }

            class Billing {
              final Object lock = new Object();
              Inventory inventory;

              void charge() {
                synchronized (lock) {
                  // BUG: Diagnostic contains: acquires `inventory.lock` (Inventory.lock) while holding Billing.lock
                  synchronized (inventory.lock) {}
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void unknownLocksAreNotGuessed() {
    helper
        .addSourceLines(
            "Locks.java",
            """
            import java.util.Map;
            import java.util.concurrent.locks.Lock;

            class Locks {
              private final Object guard = new Object();
              private Map<String, Lock> byName;

              Lock lockFor(String name) {
                return byName.get(name);
              }

              void one(String name) {
                synchronized (guard) {
                  Lock lock = lockFor(name);
                  lock.lock();
                  lock.unlock();
                }
              }

              void two(String name) {
                Lock lock = byName.get(name);
                lock.lock();
                try {
                  synchronized (guard) {}
                } finally {
                  lock.unlock();
                }
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void cycleOfThreeLocksIsReportedAtEachEdge() {
    helper
        .addSourceLines(
            "Three.java",
            """
            class Three {
              static final Object A = new Object();
              static final Object B = new Object();
              static final Object C = new Object();

              void ab() {
                synchronized (A) {
                  // BUG: Diagnostic contains: Lock-order cycle Three.A -> Three.B -> Three.C -> Three.A
                  synchronized (B) {}
                }
              }

              void bc() {
                synchronized (B) {
                  // BUG: Diagnostic contains: Lock-order cycle Three.B -> Three.C -> Three.A -> Three.B
                  synchronized (C) {}
                }
              }

              void ca() {
                synchronized (C) {
                  // BUG: Diagnostic contains: Three.ab() (Three.java:9) acquires Three.B while holding Three.A; Three.bc() (Three.java:16) acquires Three.C while holding Three.B
                  synchronized (A) {}
                }
              }
            }
            """)
        .doTest();
  }
}
