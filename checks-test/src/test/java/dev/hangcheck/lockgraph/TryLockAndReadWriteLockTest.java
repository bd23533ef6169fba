package dev.hangcheck.lockgraph;

import com.google.errorprone.CompilationTestHelper;
import dev.hangcheck.checks.LockOrderInversion;
import org.junit.jupiter.api.Test;

/** tryLock never waits forever; read and write locks of one ReadWriteLock are one node. */
final class TryLockAndReadWriteLockTest {

  private final CompilationTestHelper helper =
      CompilationTestHelper.newInstance(LockOrderInversion.class, getClass());

  @Test
  void tryLockWithTimeoutInReverseOrderIsNotAnInversion() {
    helper
        .addSourceLines(
            "Cache.java",
            """
            import java.util.concurrent.TimeUnit;
            import java.util.concurrent.locks.ReentrantLock;

            class Cache {
              private final ReentrantLock entries = new ReentrantLock();
              private final ReentrantLock index = new ReentrantLock();

              void put() {
                entries.lock();
                try {
                  index.lock();
                  index.unlock();
                } finally {
                  entries.unlock();
                }
              }

              void evict() throws InterruptedException {
                index.lock();
                try {
                  if (entries.tryLock(10, TimeUnit.MILLISECONDS)) {
                    try {
                    } finally {
                      entries.unlock();
                    }
                  }
                  if (!entries.tryLock()) {
                    return;
                  }
                  entries.unlock();
                } finally {
                  index.unlock();
                }
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void lockTakenWithTryLockIsHeldInTheSuccessBranch() {
    helper
        .addSourceLines(
            "Flusher.java",
            """
            import java.util.concurrent.locks.ReentrantLock;

            class Flusher {
              private final ReentrantLock buffer = new ReentrantLock();
              private final Object disk = new Object();

              void flush() {
                if (buffer.tryLock()) {
                  try {
                    // BUG: Diagnostic contains: acquires Flusher.disk while holding Flusher.buffer
                    synchronized (disk) {}
                  } finally {
                    buffer.unlock();
                  }
                }
              }

              void flushAfterGuard() {
                if (!buffer.tryLock()) {
                  return;
                }
                try {
                  // BUG: Diagnostic contains: acquires Flusher.disk while holding Flusher.buffer
                  synchronized (disk) {}
                } finally {
                  buffer.unlock();
                }
              }

              void sync() {
                synchronized (disk) {
                  // BUG: Diagnostic contains: acquires Flusher.buffer while holding Flusher.disk
                  buffer.lock();
                  buffer.unlock();
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void readAndWriteLocksAreOneNode() {
    helper
        .addSourceLines(
            "Catalog.java",
            """
            import java.util.concurrent.locks.ReadWriteLock;
            import java.util.concurrent.locks.ReentrantReadWriteLock;

            class Catalog {
              private final ReadWriteLock items = new ReentrantReadWriteLock();
              private final ReentrantReadWriteLock prices = new ReentrantReadWriteLock();

              void reprice() {
                items.readLock().lock();
                try {
                  // BUG: Diagnostic contains: Lock-order cycle Catalog.items -> Catalog.prices -> Catalog.items
                  prices.writeLock().lock();
                  prices.writeLock().unlock();
                } finally {
                  items.readLock().unlock();
                }
              }

              void restock() {
                ReentrantReadWriteLock.ReadLock read = prices.readLock();
                read.lock();
                try {
                  // BUG: Diagnostic contains: acquires Catalog.items while holding Catalog.prices
                  items.writeLock().lock();
                  items.writeLock().unlock();
                } finally {
                  read.unlock();
                }
              }

              void readTwice() {
                items.readLock().lock();
                try {
                  items.readLock().lock();
                  items.readLock().unlock();
                } finally {
                  items.readLock().unlock();
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void viewFieldsOfAnotherObjectAreViewsOfItsReadWriteLock() {
    // Cache keeps readLock and writeLock as fields initialised from one ReentrantReadWriteLock.
    // The space manager takes cache.writeLock and then (through get) cache.readLock, and Cache
    // takes its writeLock and then (through reset) cache.writeLock: one lock, taken again by the
    // thread that holds it, not two locks in opposite orders.
    helper
        .addSourceLines(
            "Cache.java",
            """
            import java.util.concurrent.locks.Lock;
            import java.util.concurrent.locks.ReadWriteLock;
            import java.util.concurrent.locks.ReentrantReadWriteLock;

            class Cache {
              final ReadWriteLock lock = new ReentrantReadWriteLock();
              final Lock readLock = lock.readLock();
              final Lock writeLock = this.lock.writeLock();
              private final SpaceManager spaceManager = new SpaceManager(this);

              Object get(long position) {
                readLock.lock();
                try {
                  return null;
                } finally {
                  readLock.unlock();
                }
              }

              void close() {
                writeLock.lock();
                try {
                  spaceManager.reset();
                } finally {
                  writeLock.unlock();
                }
              }
            }

            class SpaceManager {
              private final Cache cache;

              SpaceManager(Cache cache) {
                this.cache = cache;
              }

              void reset() {
                cache.writeLock.lock();
                cache.writeLock.unlock();
              }

              void allocate() {
                cache.writeLock.lock();
                try {
                  cache.get(1);
                } finally {
                  cache.writeLock.unlock();
                }
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void lockInterruptiblyAcquires() {
    helper
        .addSourceLines(
            "Gate.java",
            """
            import java.util.concurrent.locks.ReentrantLock;

            class Gate {
              static final ReentrantLock IN = new ReentrantLock();
              static final ReentrantLock OUT = new ReentrantLock();

              void enter() throws InterruptedException {
                IN.lockInterruptibly();
                try {
                  // BUG: Diagnostic contains: acquires Gate.OUT while holding Gate.IN
                  OUT.lockInterruptibly();
                  OUT.unlock();
                } finally {
                  IN.unlock();
                }
              }

              void leave() {
                OUT.lock();
                try {
                  // BUG: Diagnostic contains: acquires Gate.IN while holding Gate.OUT
                  IN.lock();
                  IN.unlock();
                } finally {
                  OUT.unlock();
                }
              }
            }
            """)
        .doTest();
  }
}
