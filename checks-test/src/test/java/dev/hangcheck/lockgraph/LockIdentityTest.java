package dev.hangcheck.lockgraph;

import com.google.errorprone.CompilationTestHelper;
import dev.hangcheck.checks.LockOrderInversion;
import org.junit.jupiter.api.Test;

/**
 * Which object is which: one object under two names is one lock; a lock passed as a parameter,
 * returned by a getter or reached through a path is the caller's object.
 */
final class LockIdentityTest {

  private final CompilationTestHelper helper =
      CompilationTestHelper.newInstance(LockOrderInversion.class, getClass());

  @Test
  void oneConnectionUnderTwoNamesIsOneLock() {
    // Request.conn and Response.conn hold the same connection: taking one while holding the other
    // is reentrant, not an order.
    helper
        .addSourceLines(
            "Exchange.java",
            """
            class Connection {}

            class Request {
              private final Connection conn;

              Request(Connection conn) {
                this.conn = conn;
              }

              void send(Response response) {
                synchronized (conn) {
                  response.flush();
                }
              }

              void abort() {
                synchronized (conn) {}
              }
            }

            class Response {
              private final Connection conn;
              Request request;

              Response(Connection conn) {
                this.conn = conn;
              }

              void flush() {
                synchronized (conn) {}
              }

              void cancel() {
                synchronized (conn) {
                  request.abort();
                }
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void aLockPassedAsAParameterIsTheCallersLock() {
    helper
        .addSourceLines(
            "Registry.java",
            """
            class Registry {
              private final Object names = new Object();
              private final Object ids = new Object();

              private void touch(Object lock) {
                synchronized (lock) {}
              }

              void rename() {
                synchronized (names) {
                  // BUG: Diagnostic contains: acquires Registry.ids while holding Registry.names, through calls Registry.touch(Object)
                  touch(ids);
                }
              }

              void renumber() {
                synchronized (ids) {
                  // BUG: Diagnostic contains: acquires Registry.names while holding Registry.ids
                  touch(names);
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void aParameterRenamedAtEachOfThreeLevelsOfCallsIsStillTheCallersLock() {
    // Three calls on each side: six together, past the default bound of the cycle's calls.
    helper
        .setArgs("-XepOpt:Hangcheck:LockOrderMaxCycleCalls=6")
        .addSourceLines(
            "Tables.java",
            """
            class Tables {
              private final Object rows = new Object();
              private final Object index = new Object();

              private void first(Object a) {
                second(a);
              }

              private void second(Object b) {
                third(b);
              }

              private void third(Object c) {
                synchronized (c) {}
              }

              void insert() {
                synchronized (rows) {
                  // BUG: Diagnostic contains: acquires Tables.index while holding Tables.rows, through calls Tables.first(Object) -> Tables.second(Object) -> Tables.third(Object)
                  first(index);
                }
              }

              void reindex() {
                synchronized (index) {
                  // BUG: Diagnostic contains: acquires Tables.rows while holding Tables.index
                  first(rows);
                }
              }

              void both() {
                synchronized (rows) {
                  first(rows); // the lock held again: reentrant
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void aLockReturnedByAGetterIsTheFieldItReturns() {
    helper
        .addSourceLines(
            "Tree.java",
            """
            import java.util.concurrent.locks.ReentrantLock;

            class Segment {
              private final ReentrantLock childrenLock = new ReentrantLock();

              ReentrantLock getChildrenLock() {
                return childrenLock;
              }
            }

            class Tree {
              private final Object structure = new Object();
              private final Segment segment = new Segment();

              void grow() {
                synchronized (structure) {
                  // BUG: Diagnostic contains: acquires `segment.getChildrenLock()` (Segment.childrenLock) while holding Tree.structure
                  segment.getChildrenLock().lock();
                  segment.getChildrenLock().unlock();
                }
              }

              void prune() {
                segment.getChildrenLock().lock();
                try {
                  // BUG: Diagnostic contains: acquires Tree.structure while holding `segment.getChildrenLock()` (Segment.childrenLock)
                  synchronized (structure) {}
                } finally {
                  segment.getChildrenLock().unlock();
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void aGetterImplementedInAnAnonymousClassIsSeenThrough() {
    helper
        .addSourceLines(
            "Pool.java",
            """
            abstract class Source {
              abstract Object lock();
            }

            class Pool {
              static final Object POOL = new Object();
              static final Object REGISTRY = new Object();

              private final Source source =
                  new Source() {
                    @Override
                    Object lock() {
                      return REGISTRY;
                    }
                  };

              void lookup() {
                synchronized (POOL) {
                  // BUG: Diagnostic contains: acquires `source.lock()` (Pool.REGISTRY) while holding Pool.POOL
                  synchronized (source.lock()) {}
                }
              }

              void register() {
                synchronized (REGISTRY) {
                  // BUG: Diagnostic contains: acquires Pool.POOL while holding Pool.REGISTRY
                  synchronized (POOL) {}
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void aGetterWhoseOverridesReturnDifferentLocksMayBeEither() {
    // guard.lock() is A or B: taking A while holding it may be reentrant, so no order is made;
    // A then B elsewhere closes no cycle.
    helper
        .addSourceLines(
            "Guard.java",
            """
            class Guard {
              static final Object A = new Object();
              static final Object B = new Object();

              Object lock() {
                return A;
              }

              static final Guard OTHER =
                  new Guard() {
                    @Override
                    Object lock() {
                      return B;
                    }
                  };

              void run(Guard guard) {
                synchronized (guard.lock()) {
                  synchronized (A) {}
                  synchronized (B) {}
                }
              }

              void back() {
                synchronized (B) {
                  synchronized (A) {}
                }
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void aSynchronizedGetterIsSeenThrough() {
    helper
        .addSourceLines(
            "Span.java",
            """
            import java.util.concurrent.locks.ReentrantLock;

            class Span {
              private final Object lock = new Object();
              private final ReentrantLock childrenLock = new ReentrantLock();

              ReentrantLock getChildrenLock() {
                synchronized (lock) {
                  return childrenLock;
                }
              }

              void add() {
                synchronized (lock) {
                  // BUG: Diagnostic contains: acquires `getChildrenLock()` (Span.childrenLock) while holding Span.lock
                  getChildrenLock().lock();
                  getChildrenLock().unlock();
                }
              }

              void stream() {
                ReentrantLock children = getChildrenLock();
                if (children.tryLock()) {
                  try {
                    // BUG: Diagnostic contains: acquires Span.lock while holding `getChildrenLock()` (Span.childrenLock)
                    synchronized (lock) {}
                  } finally {
                    children.unlock();
                  }
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void aManagerPointingBackToThePeerThatMadeItCanDeadlockWithIt() {
    helper
        .addSourceLines(
            "Quorum.java",
            """
            class Peer {
              private final Manager manager = new Manager(this);

              synchronized void connectNewPeers() {
                // BUG: Diagnostic contains: acquires `manager` (the monitor of a Manager) while holding the monitor of a Peer
                manager.connectOne();
              }
            }

            class Manager {
              private final Peer self;

              Manager(Peer self) {
                this.self = self;
              }

              synchronized void connectOne() {
                // BUG: Diagnostic contains: acquires `self` (the monitor of a Peer) while holding the monitor of a Manager
                synchronized (self) {}
              }
            }
            """)
        .doTest();
  }

  private static final String STATEMENTS =
      """
      abstract class StatementBase {
        ResultSet current;

        void closeResults() {
          if (current != null) {
            current.close();
          }
          current = null;
        }

        abstract void close();
      }

      final class Connection {
        StatementBase createStatement() {
          return new PlainStatement();
        }

        StatementBase prepareStatement() {
          return new PreparedStatement();
        }
      }

      final class PlainStatement extends StatementBase {
        synchronized void execute() {
          closeResults();
          current = new ResultSet(this);
        }

        @Override
        synchronized void close() {
          closeResults();
        }
      }

      final class PreparedStatement extends StatementBase {
        synchronized void execute() {
          closeResults();
          current = new ResultSet(this);
        }

        @Override
        synchronized void close() {
          closeResults();
        }
      }
      """;

  @Test
  void aResultSetClosingItsStatementLocksTheStatementAlreadyHeld() {
    // Every result set a statement keeps is one it made with itself as the statement, and a
    // result set's statement is only ever that argument: statement.current.statement is the
    // statement itself, so closing it under the statement's monitor is reentrant, whichever
    // kind of statement it is. (Its chains are longer than the default bound of a cycle's calls:
    // without a bound, the test is of the identity, not of the bound.)
    helper
        .setArgs("-XepOpt:Hangcheck:LockOrderMaxCycleCalls=unlimited")
        .addSourceLines("Statements.java", STATEMENTS)
        .addSourceLines(
            "ResultSet.java",
            """
            final class ResultSet {
              private final StatementBase statement;

              ResultSet(StatementBase statement) {
                this.statement = statement;
              }

              void close() {
                statement.close();
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void aResultSetWhoseStatementCanBeReplacedMayLockAnotherStatement() {
    // The same, but anyone can give a result set another statement: then the one it closes may
    // be a prepared statement while a plain one is held, and the other way round, at each call
    // that closes the results under a statement's monitor.
    String everyCloseResultsReported =
        STATEMENTS.replace(
            "    closeResults();\n",
            "    // BUG: Diagnostic contains: Lock-order cycle the monitor of a\n    closeResults();\n");
    helper
        .setArgs("-XepOpt:Hangcheck:LockOrderMaxCycleCalls=unlimited")
        .addSourceLines("Statements.java", everyCloseResultsReported)
        .addSourceLines(
            "ResultSet.java",
            """
            final class ResultSet {
              private StatementBase statement;

              ResultSet(StatementBase statement) {
                this.statement = statement;
              }

              void moveTo(StatementBase other) {
                statement = other;
              }

              void close() {
                statement.close();
              }
            }
            """)
        .doTest();
  }
}
