package dev.hangcheck.lockgraph;

import com.google.errorprone.CompilationTestHelper;
import dev.hangcheck.checks.LockOrderInversion;
import org.junit.jupiter.api.Test;

/**
 * Wrappers that lock the object their constructor was given: that object is older than the
 * wrapper, so no chain of such wrappers comes back to where it started.
 */
final class ConstructionOrderTest {

  private final CompilationTestHelper helper =
      CompilationTestHelper.newInstance(LockOrderInversion.class, getClass());

  @Test
  void decoratorsOfEachOtherAreNotACycle() {
    // SynchronizedPool locks its own lock, then the pool it wraps; ErodingPool locks the pool it
    // wraps, which may be a SynchronizedPool. Each wraps an older object: for the two orders to
    // meet on the same two locks, some wrapper would have to wrap itself.
    helper
        .addSourceLines(
            "Pools.java",
            """
            import java.util.concurrent.locks.ReentrantLock;

            interface Pool {
              void returnObject(Object o);

              int idle();
            }

            final class SynchronizedPool implements Pool {
              private final ReentrantLock lock = new ReentrantLock();
              private final Pool pool;

              SynchronizedPool(Pool pool) {
                this.pool = pool;
              }

              @Override
              public void returnObject(Object o) {
                lock.lock();
                try {
                  pool.returnObject(o);
                } finally {
                  lock.unlock();
                }
              }

              @Override
              public int idle() {
                lock.lock();
                try {
                  return pool.idle();
                } finally {
                  lock.unlock();
                }
              }
            }

            final class ErodingPool implements Pool {
              private final Pool pool;

              ErodingPool(Pool pool) {
                this.pool = pool;
              }

              @Override
              public void returnObject(Object o) {
                synchronized (pool) {
                  if (pool.idle() > 3) {
                    return;
                  }
                  pool.returnObject(o);
                }
              }

              @Override
              public int idle() {
                return pool.idle();
              }

              static Pool wrap(Pool base) {
                return new ErodingPool(new SynchronizedPool(new ErodingPool(base)));
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void peersWiredBySettersCanLockEachOther() {
    // setPeer() can make a left and a right point at each other, so that left.push() and
    // right.pull() take the same two monitors in opposite orders.
    helper
        .addSourceLines(
            "Peers.java",
            """
            final class Left {
              private Right peer;

              void setPeer(Right peer) {
                this.peer = peer;
              }

              synchronized void push() {
                // BUG: Diagnostic contains: Lock-order cycle
                peer.accept();
              }

              synchronized void ack() {}
            }

            final class Right {
              private Left peer;

              void setPeer(Left peer) {
                this.peer = peer;
              }

              synchronized void accept() {}

              synchronized void pull() {
                // BUG: Diagnostic contains: Lock-order cycle
                peer.ack();
              }
            }
            """)
        .doTest();
  }

  @Test
  void anObjectsMonitorAgainstItsOwnLockIsStillACycle() {
    // Both orders are on one object: its monitor and its own lock.
    helper
        .addSourceLines(
            "Account.java",
            """
            import java.util.concurrent.locks.ReentrantLock;

            final class Account {
              private final ReentrantLock balanceLock = new ReentrantLock();

              synchronized void close() {
                // BUG: Diagnostic contains: Lock-order cycle
                balanceLock.lock();
                balanceLock.unlock();
              }

              void deposit() {
                balanceLock.lock();
                try {
                  // BUG: Diagnostic contains: Lock-order cycle
                  audit();
                } finally {
                  balanceLock.unlock();
                }
              }

              synchronized void audit() {}
            }
            """)
        .doTest();
  }

  @Test
  void aWrapperCallingBackIntoItsOwnerIsACycle() {
    // The session gives itself to its handler, and the handler locks the session back:
    // session -> handler -> session, on one pair of objects.
    helper
        .addSourceLines(
            "Session.java",
            """
            final class Session {
              private final Handler handler = new Handler(this);

              synchronized void write() {
                // BUG: Diagnostic contains: Lock-order cycle
                handler.flush();
              }

              synchronized void onFlushed() {}
            }

            final class Handler {
              private final Session session;

              Handler(Session session) {
                this.session = session;
              }

              synchronized void flush() {}

              synchronized void drain() {
                // BUG: Diagnostic contains: Lock-order cycle
                session.onFlushed();
              }
            }
            """)
        .doTest();
  }
}
