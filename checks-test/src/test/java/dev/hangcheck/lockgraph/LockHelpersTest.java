package dev.hangcheck.lockgraph;

import com.google.errorprone.CompilationTestHelper;
import dev.hangcheck.checks.LockOrderInversion;
import dev.hangcheck.testing.CompiledLibrary;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Locks taken in one method and released in another: lock and unlock helpers, a tryLock kept in a
 * variable, and the annotations that say which locks a method runs under or takes.
 */
final class LockHelpersTest {

  private final CompilationTestHelper helper =
      CompilationTestHelper.newInstance(LockOrderInversion.class, getClass());

  @Test
  void aLockHelperTakesItsLockForTheCallerUntilTheUnlockHelper() {
    helper
        .addSourceLines(
            "Table.java",
            """
            import java.util.concurrent.locks.ReentrantLock;

            class Table {
              private final ReentrantLock rows = new ReentrantLock();
              private final Object index = new Object();

              private void lockRows() {
                rows.lock();
              }

              private void unlockRows() {
                rows.unlock();
              }

              void insert() {
                lockRows();
                try {
                  // BUG: Diagnostic contains: acquires Table.index while holding Table.rows
                  synchronized (index) {}
                } finally {
                  unlockRows();
                }
                synchronized (index) {} // after unlockRows(): rows no longer held
              }

              void reindex() {
                synchronized (index) {
                  // BUG: Diagnostic contains: acquires Table.rows while holding Table.index
                  lockRows();
                  unlockRows();
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void aTryLockKeptInAVariableHoldsTheLockWhereItSucceeded() {
    helper
        .addSourceLines(
            "Cache.java",
            """
            import java.util.concurrent.locks.ReentrantLock;

            class Cache {
              private final ReentrantLock refresh = new ReentrantLock();
              private final Object entries = new Object();

              void maybeRefresh() {
                boolean ok = refresh.tryLock();
                if (ok) {
                  try {
                    // BUG: Diagnostic contains: acquires Cache.entries while holding Cache.refresh
                    synchronized (entries) {}
                  } finally {
                    refresh.unlock();
                  }
                }
              }

              void evict() {
                synchronized (entries) {
                  // BUG: Diagnostic contains: acquires Cache.refresh while holding Cache.entries
                  refresh.lock();
                  refresh.unlock();
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void guardedByOnAMethodMeansItsBodyRunsWithTheLockHeld() {
    helper
        .addSourceLines(
            "GuardedBy.java",
            """
            package javax.annotation.concurrent;

            public @interface GuardedBy {
              String value();
            }
            """)
        .addSourceLines(
            "Account.java",
            """
            import javax.annotation.concurrent.GuardedBy;

            class Account {
              private final Object balanceLock = new Object();
              static final Object AUDIT = new Object();

              @GuardedBy("balanceLock")
              private void post() {
                // BUG: Diagnostic contains: acquires Account.AUDIT while holding Account.balanceLock
                synchronized (AUDIT) {}
              }

              void audit() {
                synchronized (AUDIT) {
                  // BUG: Diagnostic contains: acquires Account.balanceLock while holding Account.AUDIT
                  synchronized (balanceLock) {}
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void lockMethodAndUnlockMethodOnJarMethodsTakeAndReleaseTheirLock(@TempDir Path temporaryFolder) {
    String classpath =
        new CompiledLibrary(temporaryFolder)
            .addSourceLines(
                "com/acme/tree/Segment.java",
                "package com.acme.tree;",
                "import com.google.errorprone.annotations.concurrent.LockMethod;",
                "import com.google.errorprone.annotations.concurrent.UnlockMethod;",
                "import java.util.concurrent.locks.ReentrantLock;",
                "public class Segment {",
                "  private final ReentrantLock lock = new ReentrantLock();",
                "  @LockMethod(\"lock\") public void enter() { lock.lock(); }",
                "  @UnlockMethod(\"lock\") public void exit() { lock.unlock(); }",
                "}")
            .compileToClasspath();
    helper
        .setArgs("-classpath", classpath)
        .addSourceLines(
            "User.java",
            """
            import com.acme.tree.Segment;

            class User {
              static final Object TREE = new Object();

              void grow(Segment segment) {
                synchronized (TREE) {
                  // BUG: Diagnostic contains: acquires `segment.lock` (Segment.lock) while holding User.TREE
                  segment.enter();
                  segment.exit();
                }
              }

              void prune(Segment segment) {
                segment.enter();
                try {
                  // BUG: Diagnostic contains: acquires User.TREE while holding `segment.lock` (Segment.lock)
                  synchronized (TREE) {}
                } finally {
                  segment.exit();
                }
                synchronized (TREE) {} // after exit(): the segment's lock is released
              }
            }
            """)
        .doTest();
  }

  @Test
  void aCalleeThatReleasesTheCallersLockAroundItsWorkOrdersNothingUnderIt() {
    // store(low, high) lets go of saveChunkLock while store() takes serializationLock, and takes
    // it back after: compaction never holds saveChunkLock while it waits for serializationLock,
    // though flush() takes the two the other way round.
    helper
        .addSourceLines(
            "FileStore.java",
            """
            import java.util.concurrent.locks.ReentrantLock;

            class FileStore {
              private final ReentrantLock saveChunkLock = new ReentrantLock();
              private final ReentrantLock serializationLock = new ReentrantLock();

              void compact() {
                saveChunkLock.lock();
                try {
                  moveChunks();
                } finally {
                  saveChunkLock.unlock();
                }
              }

              private void moveChunks() {
                store(0, 1);
              }

              private void store(long low, long high) {
                saveChunkLock.unlock();
                try {
                  store();
                } finally {
                  saveChunkLock.lock();
                }
              }

              void flush() {
                store();
              }

              void store() {
                serializationLock.lock();
                try {
                  save();
                } finally {
                  serializationLock.unlock();
                }
              }

              private void save() {
                saveChunkLock.lock();
                saveChunkLock.unlock();
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void aCalleeThatKeepsTheCallersLockOrdersItsWorkUnderIt() {
    // The same without the release: compaction holds saveChunkLock while store() waits for
    // serializationLock, and flush() runs store() without saveChunkLock, whose save() then waits
    // for saveChunkLock while holding serializationLock.
    helper
        .addSourceLines(
            "FileStore.java",
            """
            import java.util.concurrent.locks.ReentrantLock;

            class FileStore {
              private final ReentrantLock saveChunkLock = new ReentrantLock();
              private final ReentrantLock serializationLock = new ReentrantLock();

              void compact() {
                saveChunkLock.lock();
                try {
                  // BUG: Diagnostic contains: Lock-order cycle
                  moveChunks();
                } finally {
                  saveChunkLock.unlock();
                }
              }

              private void moveChunks() {
                store(0, 1);
              }

              private void store(long low, long high) {
                store();
              }

              void flush() {
                store();
              }

              void store() {
                serializationLock.lock();
                try {
                  // BUG: Diagnostic contains: Lock-order cycle
                  save();
                } finally {
                  serializationLock.unlock();
                }
              }

              private void save() {
                saveChunkLock.lock();
                saveChunkLock.unlock();
              }
            }
            """)
        .doTest();
  }

  @Test
  void theOtherLocksHeldStillOrderWhatARelockingCalleeTakes() {
    // flush() holds mapLock and storeLock; store() lets go of storeLock only, so what it takes in
    // between is still taken under mapLock, and taking storeLock back waits while mapLock is held.
    helper
        .addSourceLines(
            "Store.java",
            """
            import java.util.concurrent.locks.ReentrantLock;

            class Store {
              private final ReentrantLock mapLock = new ReentrantLock();
              private final ReentrantLock storeLock = new ReentrantLock();
              private final ReentrantLock fileLock = new ReentrantLock();

              void flush() {
                mapLock.lock();
                try {
                  storeLock.lock();
                  try {
                    // BUG: Diagnostic contains: Store.mapLock -> Store.fileLock
                    store();
                  } finally {
                    storeLock.unlock();
                  }
                } finally {
                  mapLock.unlock();
                }
              }

              private void store() {
                storeLock.unlock();
                try {
                  write();
                } finally {
                  storeLock.lock();
                }
              }

              private void write() {
                fileLock.lock();
                fileLock.unlock();
              }

              void sync() {
                fileLock.lock();
                try {
                  // BUG: Diagnostic contains: Store.fileLock -> Store.mapLock
                  mapLock.lock();
                  mapLock.unlock();
                } finally {
                  fileLock.unlock();
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void aReleaseTwoCallsDownStillFreesTheLockForWhatFollows() {
    // compact() holds chunkLock; moveChunks() takes no lock and calls store(), which releases
    // chunkLock around write(): the release is seen through the lock-free method in between.
    helper
        .addSourceLines(
            "Chunks.java",
            """
            import java.util.concurrent.locks.ReentrantLock;

            class Chunks {
              private final ReentrantLock chunkLock = new ReentrantLock();
              private final ReentrantLock fileLock = new ReentrantLock();

              void compact() {
                chunkLock.lock();
                try {
                  moveChunks();
                } finally {
                  chunkLock.unlock();
                }
              }

              private void moveChunks() {
                prepare();
                store();
              }

              private void prepare() {}

              private void store() {
                chunkLock.unlock();
                try {
                  write();
                } finally {
                  chunkLock.lock();
                }
              }

              private void write() {
                fileLock.lock();
                fileLock.unlock();
              }

              void sync() {
                fileLock.lock();
                try {
                  chunkLock.lock();
                  chunkLock.unlock();
                } finally {
                  fileLock.unlock();
                }
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }
}
