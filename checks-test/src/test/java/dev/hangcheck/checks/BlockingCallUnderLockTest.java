package dev.hangcheck.checks;

import com.google.errorprone.CompilationTestHelper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Blocking calls while a lock is held: locks, categories, waits that release, deferral. */
final class BlockingCallUnderLockTest {

  private final CompilationTestHelper helper =
      CompilationTestHelper.newInstance(BlockingCallUnderLock.class, getClass());

  @Test
  void sleepAndNetworkUnderSynchronizedAndLock() {
    helper
        .addSourceLines(
            "Cache.java",
            """
            import java.io.InputStream;
            import java.net.URL;
            import java.util.concurrent.locks.ReentrantLock;

            class Cache {
              private final Object entries = new Object();
              private final ReentrantLock refresh = new ReentrantLock();

              void evict() throws InterruptedException {
                synchronized (entries) {
                  // BUG: Diagnostic contains: Cache.evict() holds Cache.entries (taken at Cache.java:10) and calls Thread.sleep(long), which sleeps
                  Thread.sleep(100);
                }
              }

              InputStream load(URL url) throws Exception {
                refresh.lock();
                try {
                  // BUG: Diagnostic contains: holds Cache.refresh (taken at Cache.java:17) and calls URL.openStream(), which blocks on network I/O
                  return url.openStream();
                } finally {
                  refresh.unlock();
                }
              }

              synchronized void both(Object other) throws InterruptedException {
                synchronized (other) {
                  // BUG: Diagnostic contains: holds the monitor of a Cache (taken at Cache.java:26) and `other` (taken at Cache.java:27)
                  Thread.sleep(1);
                }
              }

              void afterUnlock(URL url) throws Exception {
                refresh.lock();
                refresh.unlock();
                url.openStream().close();
              }

              int size() {
                synchronized (entries) {
                  return 0;
                }
              }

              synchronized int hits() {
                return 0;
              }
            }
            """)
        .doTest();
  }

  @Test
  void anOverrideThatOnlyObjectsOfAnotherClassHaveIsNotRunThroughThisReceiver() {
    helper
        .setArgs("-XepOpt:Hangcheck:UnderLockMaxCallDepth=3")
        .addSourceLines(
            "Names.java",
            """
            class Local<T> {
              T get() {
                return initialize();
              }

              private T initialize() {
                return initialValue();
              }

              protected T initialValue() {
                return null;
              }
            }

            class PoolCache extends Local<String> {
              @Override
              protected String initialValue() {
                try {
                  Thread.sleep(100);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                return "pool";
              }
            }

            class Names {
              static final Local<StringBuilder> BUILDERS =
                  new Local<>() {
                    @Override
                    protected StringBuilder initialValue() {
                      return new StringBuilder();
                    }
                  };
              static final PoolCache CACHE = new PoolCache();

              synchronized String name() {
                return BUILDERS.get().toString();
              }

              synchronized String cached() {
                // BUG: Diagnostic contains: Local.get() -> Local.initialize() -> PoolCache.initialValue() -> Thread.sleep(long)
                return CACHE.get();
              }
            }
            """)
        .doTest();
  }

  @Test
  void classPathResourcesAreFilesAndFilesAreNotReportedByDefault() {
    helper
        .addSourceLines(
            "Templates.java",
            """
            import java.io.InputStream;
            import java.net.URL;
            import java.net.URLConnection;

            class Templates {
              private static final URL DEFAULTS = Templates.class.getResource("/defaults.txt");

              synchronized byte[] load(String name, URL remote) throws Exception {
                try (InputStream in = getClass().getResource(name).openStream()) {
                  in.readAllBytes();
                }
                URL local = Thread.currentThread().getContextClassLoader().getResource(name);
                URLConnection connection = local.openConnection();
                connection.getInputStream().close();
                DEFAULTS.openStream().close();
                // BUG: Diagnostic contains: calls URL.openStream(), which blocks on network I/O
                return remote.openStream().readAllBytes();
              }

              synchronized void clear() {}
            }
            """)
        .doTest();
  }

  @Test
  void theBackOffOfASpinLockIsNoBlockingWork() {
    helper
        .addSourceLines(
            "Spin.java",
            """
            import java.util.concurrent.atomic.AtomicBoolean;
            import java.util.concurrent.locks.LockSupport;
            import java.util.concurrent.locks.ReentrantLock;

            class Spin {
              private final AtomicBoolean busy = new AtomicBoolean();
              private final ReentrantLock lock = new ReentrantLock();

              synchronized void enter() throws InterruptedException {
                while (!busy.compareAndSet(false, true)) {
                  Thread.sleep(1);
                }
                for (;;) {
                  if (lock.tryLock()) {
                    break;
                  }
                  LockSupport.parkNanos(1000);
                }
                while (busy.get()) {
                  // BUG: Diagnostic contains: calls Thread.sleep(long), which sleeps
                  Thread.sleep(1);
                }
              }

              synchronized boolean isBusy() {
                return busy.get();
              }
            }
            """)
        .doTest();
  }

  @Test
  void futuresKnownCompleteDoNotWait() {
    helper
        .addSourceLines(
            "Results.java",
            """
            import static com.google.common.base.Preconditions.checkState;

            import java.util.concurrent.CompletableFuture;
            import java.util.concurrent.Future;

            class Results {
              synchronized Object all(CompletableFuture<Object> pending, Future<Object> other) throws Exception {
                CompletableFuture<Object> ready = CompletableFuture.completedFuture("x");
                ready.get();
                CompletableFuture.completedFuture(1).join();
                pending.complete("done");
                pending.get();
                checkState(other.isDone());
                other.get();
                // BUG: Diagnostic contains: calls CompletableFuture.get(), which waits for another thread
                return new CompletableFuture<Object>().get();
              }

              synchronized Object asserted(Future<Object> future) throws Exception {
                assert future.isDone();
                return future.get();
              }

              private CompletableFuture<Object> cached() {
                return CompletableFuture.completedFuture("cached");
              }

              synchronized Object fromAHelper() throws Exception {
                CompletableFuture<Object> value = cached();
                value.join();
                return cached().get();
              }
            }
            """)
        .doTest();
  }

  @Test
  void putIntoAQueueWithoutCapacityReturnsAtOnce() {
    helper
        .addSourceLines(
            "Dispatcher.java",
            """
            import java.util.concurrent.BlockingQueue;
            import java.util.concurrent.LinkedBlockingDeque;
            import java.util.concurrent.LinkedBlockingQueue;
            import java.util.concurrent.PriorityBlockingQueue;
            import java.util.concurrent.TimeUnit;

            class Dispatcher {
              private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
              private final BlockingQueue<String> bounded = new LinkedBlockingQueue<>(10);
              private final BlockingQueue<String> given;
              private BlockingQueue<String> replaced = new LinkedBlockingQueue<>();

              Dispatcher(BlockingQueue<String> given) {
                this.given = given;
              }

              void resize(int capacity) {
                replaced = new LinkedBlockingQueue<>(capacity);
              }

              synchronized void publish(String event) throws InterruptedException {
                events.put(event);
                events.offer(event, 1, TimeUnit.SECONDS);
                new PriorityBlockingQueue<String>().put(event);
                BlockingQueue<String> local = new LinkedBlockingDeque<>();
                local.put(event);
                // BUG: Diagnostic contains: calls BlockingQueue.put(E), which waits for another thread
                bounded.put(event);
                // BUG: Diagnostic contains: calls BlockingQueue.put(E), which waits for another thread
                given.put(event);
                // BUG: Diagnostic contains: calls BlockingQueue.put(E), which waits for another thread
                replaced.put(event);
              }

              synchronized int pending() {
                return events.size();
              }
            }
            """)
        .doTest();
  }

  @Test
  void aConstantArgumentThatSwitchesOffTheCalleesBlockingBranchIsNoFinding() {
    helper
        .addSourceLines(
            "Pool.java",
            """
            class Worker {
              private Thread thread;

              void stop(boolean wait) throws InterruptedException {
                thread.interrupt();
                if (wait) {
                  thread.join();
                }
              }

              void halt(boolean drain) throws InterruptedException {
                if (!drain) {
                  return;
                }
                thread.join();
              }

              static synchronized void cancel(boolean restarting, boolean force) throws InterruptedException {
                if (!restarting && !force) {
                  // BUG: Diagnostic contains: Worker.cancel(boolean, boolean) holds Worker.class
                  Thread.sleep(1000);
                }
              }

              void clear(boolean reuseCapacity) throws InterruptedException {
                thread.interrupt();
                if (reuseCapacity) {
                  refill();
                }
              }

              private void refill() throws InterruptedException {
                thread.join();
              }

              void stopVia(boolean waitForIt) throws InterruptedException {
                stop(waitForIt);
              }

              void stopReassigned(boolean wait) throws InterruptedException {
                wait = wait || thread.isDaemon();
                if (wait) {
                  thread.join();
                }
              }

              static synchronized int cancelled() {
                return 0;
              }
            }

            class Pool {
              synchronized void shutdown(Worker worker, boolean patient) throws InterruptedException {
                worker.stop(false);
                worker.halt(false);
                worker.stopVia(false);
                Worker.cancel(true, false);
                worker.clear(false);
                // BUG: Diagnostic contains: Worker.clear(boolean) -> Worker.refill() -> Thread.join()
                worker.clear(true);
                // BUG: Diagnostic contains: Pool.shutdown(Worker, boolean) holds the monitor of a Pool
                worker.stop(true);
                // BUG: Diagnostic contains: Worker.stopVia(boolean) -> Worker.stop(boolean) -> Thread.join()
                worker.stopVia(patient);
                // BUG: Diagnostic contains: Worker.stopReassigned(boolean) -> Thread.join()
                worker.stopReassigned(false);
              }

              synchronized boolean isShutDown() {
                return false;
              }
            }
            """)
        .doTest();
  }

  @Test
  void aNullOrClassLiteralArgumentThatSwitchesOffTheCalleesBlockingBranchIsNoFinding() {
    helper
        .addSourceLines(
            "Cache.java",
            """
            class Loader {
              void reload(Thread previous) throws InterruptedException {
                if (previous != null) {
                  previous.join();
                }
              }

              Object lookup(Class<?> kind) throws InterruptedException {
                if (kind == String.class) {
                  return "";
                } else if (kind == Thread.class) {
                  Thread.sleep(100);
                }
                return null;
              }
            }

            class Cache {
              private final Loader loader = new Loader();

              synchronized void refresh(Thread worker) throws InterruptedException {
                loader.reload(null);
                loader.lookup(String.class);
                // BUG: Diagnostic contains: Loader.reload(Thread) -> Thread.join()
                loader.reload(worker);
                // BUG: Diagnostic contains: Loader.lookup(Class) -> Thread.sleep(long)
                loader.lookup(Thread.class);
              }

              synchronized int size() {
                return 0;
              }
            }
            """)
        .doTest();
  }

  @Test
  void aTimeoutComputedInACalleeIsNotShownAsTheCallersBound() {
    helper
        .addSourceLines(
            "Flusher.java",
            """
            class Signal {
              private boolean done;

              void awaitForever() throws InterruptedException {
                await0(Long.MAX_VALUE);
              }

              void awaitBriefly() throws InterruptedException {
                await0(500);
              }

              synchronized void await0(long timeout) throws InterruptedException {
                long slice = Math.min(timeout, 100);
                while (!done) {
                  wait(slice);
                }
              }

              synchronized void pause() throws InterruptedException {
                // BUG: Diagnostic contains: Signal.pause() holds the monitor of a Signal
                pauseFor();
              }

              private void pauseFor() throws InterruptedException {
                Thread.sleep(250);
              }
            }

            class Flusher {
              private final Object lock = new Object();

              void flush(Signal written) throws InterruptedException {
                synchronized (lock) {
                  // BUG: Diagnostic contains: -> Object.wait(long) (Flusher.java:15), which waits for another thread (timed by slice ms as computed in Signal.await0(long)). Every thread
                  written.awaitForever();
                  // BUG: Diagnostic contains: Signal.pauseFor() -> Thread.sleep(long) (Flusher.java:25), which sleeps. Every thread
                  written.pause();
                }
              }

              boolean isFlushing() {
                synchronized (lock) {
                  return false;
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void blockingReachedThroughCallsShowsTheChain() {
    helper
        .addSourceLines(
            "Registry.java",
            """
            import java.sql.Connection;
            import java.sql.SQLException;

            class Registry {
              private final Object lock = new Object();
              private final Store store = new Store();

              void register(String name) throws SQLException {
                synchronized (lock) {
                  // BUG: Diagnostic contains: Registry.register(String) holds Registry.lock (taken at Registry.java:9) and calls Store.save(String) -> Store.insert(String) -> Statement.executeUpdate(String) (Registry.java:31), which blocks on a database call
                  store.save(name);
                }
              }

              boolean isEmpty() {
                synchronized (lock) {
                  return true;
                }
              }
            }

            class Store {
              Connection connection;

              void save(String name) throws SQLException {
                insert(name);
              }

              void insert(String name) throws SQLException {
                try (var statement = connection.createStatement()) {
                  statement.executeUpdate("insert " + name);
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void waitOnTheHeldMonitorReleasesIt() {
    helper
        .addSourceLines(
            "Queue.java",
            """
            import java.util.ArrayDeque;

            class Queue {
              private final ArrayDeque<String> items = new ArrayDeque<>();
              private final Object other = new Object();

              synchronized String take() throws InterruptedException {
                while (items.isEmpty()) {
                  wait();
                }
                return items.poll();
              }

              String takeFromField() throws InterruptedException {
                synchronized (items) {
                  while (items.isEmpty()) {
                    items.wait(100);
                  }
                  return items.poll();
                }
              }

              String takeWhileHoldingAnother() throws InterruptedException {
                synchronized (other) {
                  synchronized (items) {
                    while (items.isEmpty()) {
                      // BUG: Diagnostic contains: holds Queue.other (taken at Queue.java:24) and calls Object.wait(), which waits for another thread
                      items.wait();
                    }
                    return items.poll();
                  }
                }
              }

              void callsATakerWhileHoldingAnother() throws InterruptedException {
                synchronized (other) {
                  // BUG: Diagnostic contains: holds Queue.other (taken at Queue.java:36) and calls Queue.take() -> Object.wait() (Queue.java:9)
                  take();
                }
              }

              synchronized void callsATakerWhileHoldingItsMonitor() throws InterruptedException {
                take();
              }

              void put(String item) {
                synchronized (other) {
                  synchronized (items) {
                    items.add(item);
                    items.notifyAll();
                  }
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void aConditionMadeInTheConstructorReleasesItsLockThroughACall() {
    // statusChanged is made from statusLock in the constructor, not in its declaration: waitFor()
    // awaiting it releases statusLock, also the caller's hold, but not closeLock.
    helper
        .addSourceLines(
            "Connection.java",
            """
            import java.util.concurrent.locks.Condition;
            import java.util.concurrent.locks.ReentrantLock;

            class Connection {
              private final ReentrantLock statusLock;
              private final Condition statusChanged;
              private final ReentrantLock closeLock = new ReentrantLock();
              private boolean connected;
              private boolean closing;

              Connection() {
                this.statusLock = new ReentrantLock();
                this.statusChanged = this.statusLock.newCondition();
              }

              void waitForConnect(long nanos) throws InterruptedException {
                statusLock.lock();
                try {
                  while (!connected) {
                    statusChanged.awaitNanos(nanos);
                  }
                } finally {
                  statusLock.unlock();
                }
              }

              void reconnect() throws InterruptedException {
                statusLock.lock();
                try {
                  waitForConnect(1000);
                } finally {
                  statusLock.unlock();
                }
              }

              void close() throws InterruptedException {
                closeLock.lock();
                try {
                  closing = true;
                  statusLock.lock();
                  try {
                    // BUG: Diagnostic contains: Every thread that needs Connection.closeLock waits
                    waitForConnect(1000);
                  } finally {
                    statusLock.unlock();
                  }
                } finally {
                  closeLock.unlock();
                }
              }

              boolean isClosing() {
                closeLock.lock();
                try {
                  return closing;
                } finally {
                  closeLock.unlock();
                }
              }

              void connected() {
                statusLock.lock();
                try {
                  connected = true;
                  statusChanged.signalAll();
                } finally {
                  statusLock.unlock();
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void awaitOnAConditionOfTheHeldLockReleasesIt() {
    helper
        .addSourceLines(
            "Buffer.java",
            """
            import java.util.concurrent.locks.Condition;
            import java.util.concurrent.locks.ReentrantLock;

            class Buffer {
              private final ReentrantLock lock = new ReentrantLock();
              private final Condition notEmpty = lock.newCondition();
              private final Object registry = new Object();
              private int count;

              void awaitItem() throws InterruptedException {
                lock.lock();
                try {
                  while (count == 0) {
                    notEmpty.await();
                  }
                  Condition local = lock.newCondition();
                  local.awaitNanos(10);
                } finally {
                  lock.unlock();
                }
              }

              void awaitItemInRegistry() throws InterruptedException {
                synchronized (registry) {
                  lock.lock();
                  try {
                    while (count == 0) {
                      // BUG: Diagnostic contains: holds Buffer.registry (taken at Buffer.java:24) and calls Condition.await()
                      notEmpty.await();
                    }
                  } finally {
                    lock.unlock();
                  }
                }
              }

              void register() {
                synchronized (registry) {
                  count++;
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void fileAndProcessAreNotReportedByDefaultButByFlag() {
    String source =
        """
        import java.nio.file.Files;
        import java.nio.file.Path;

        class Journal {
          synchronized void append(String line) throws java.io.IOException {
            // BUG: Diagnostic contains: calls Files.writeString(Path, CharSequence, OpenOption[]), which blocks on file I/O
            Files.writeString(Path.of("journal"), line);
          }

          synchronized void rotate() {}
        }
        """;
    CompilationTestHelper.newInstance(BlockingCallUnderLock.class, getClass())
        .addSourceLines("Journal.java", source.replace("// BUG: Diagnostic contains:", "//"))
        .expectNoDiagnostics()
        .doTest();
    helper
        .setArgs(List.of("-XepOpt:Hangcheck:UnderLockCategories=SLEEP,WAIT,NETWORK,DATABASE,FILE"))
        .addSourceLines("Journal.java", source)
        .doTest();
  }

  @Test
  void deferredLambdasDoNotRunUnderTheLockButForEachDoes() {
    helper
        .addSourceLines(
            "Notifier.java",
            """
            import java.util.List;
            import java.util.concurrent.Executor;

            class Notifier {
              private final Object lock = new Object();
              Executor executor;

              void notifyLater(List<Runnable> listeners) {
                synchronized (lock) {
                  executor.execute(() -> pause());
                  executor.execute(this::pause);
                  // BUG: Diagnostic contains: holds Notifier.lock (taken at Notifier.java:9) and calls Notifier.pause() -> Thread.sleep(long)
                  listeners.forEach(listener -> pause());
                }
              }

              void pause() {
                try {
                  Thread.sleep(10);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }

              void subscribe() {
                synchronized (lock) {
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void suppressionSilencesTheMethodAndItsCallers() {
    helper
        .addSourceLines(
            "Throttle.java",
            """
            class Throttle {
              private final Object lock = new Object();

              @SuppressWarnings("BlockingCallUnderLock") // the sleep is the point: callers are serialised
              synchronized void throttle() throws InterruptedException {
                Thread.sleep(5);
              }

              void use() throws InterruptedException {
                synchronized (lock) {
                  throttle();
                }
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void tryLockSuccessBranchIsUnderTheLock() {
    helper
        .addSourceLines(
            "Poller.java",
            """
            import java.util.concurrent.BlockingQueue;
            import java.util.concurrent.locks.ReentrantLock;

            class Poller {
              private final ReentrantLock lock = new ReentrantLock();

              String poll(BlockingQueue<String> queue) throws InterruptedException {
                if (lock.tryLock()) {
                  try {
                    // BUG: Diagnostic contains: holds Poller.lock (taken at Poller.java:8) and calls BlockingQueue.take()
                    return queue.take();
                  } finally {
                    lock.unlock();
                  }
                }
                return queue.take();
              }

              void reset() {
                lock.lock();
                lock.unlock();
              }
            }
            """)
        .doTest();
  }

  @Test
  void awaitOnAConditionWhoseLockCannotBeTracedReleasesOneOfTheLocksHeld() {
    helper
        .addSourceLines(
            "SharedBuffer.java",
            """
            import java.util.concurrent.locks.Condition;
            import java.util.concurrent.locks.ReentrantLock;

            class SharedBuffer {
              private final ReentrantLock lock;
              private final Condition condition;
              private final Object stats = new Object();
              private int available;

              SharedBuffer(ReentrantLock lock) {
                this.lock = lock;
                this.condition = lock.newCondition();
              }

              private void awaitInput() throws InterruptedException {
                while (available == 0) {
                  condition.await();
                }
              }

              int read() throws InterruptedException {
                lock.lock();
                try {
                  awaitInput();
                  return available--;
                } finally {
                  lock.unlock();
                }
              }

              int readCounting() throws InterruptedException {
                synchronized (stats) {
                  lock.lock();
                  try {
                    // BUG: Diagnostic contains: holds SharedBuffer.stats (taken at SharedBuffer.java:32) and SharedBuffer.lock (taken at SharedBuffer.java:33) and calls SharedBuffer.awaitInput() -> Condition.await() (SharedBuffer.java:17)
                    awaitInput();
                    return available--;
                  } finally {
                    lock.unlock();
                  }
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void synchronizedOverrideWaitingInSuperReleasesItsOwnMonitor() {
    helper
        .addSourceLines(
            "Futures.java",
            """
            import java.util.concurrent.Future;
            import java.util.concurrent.TimeUnit;

            abstract class BasicFuture<T> implements Future<T> {
              private T result;

              @Override
              public synchronized T get(long timeout, TimeUnit unit) throws InterruptedException {
                while (result == null) {
                  wait(unit.toMillis(timeout));
                }
                return result;
              }
            }

            class Lease {
              BasicFuture<String> lease() {
                return new BasicFuture<String>() {
                  @Override
                  public synchronized String get(long timeout, TimeUnit unit)
                      throws InterruptedException {
                    return super.get(timeout, unit);
                  }

                  @Override
                  public boolean cancel(boolean interrupt) {
                    return false;
                  }

                  @Override
                  public boolean isCancelled() {
                    return false;
                  }

                  @Override
                  public boolean isDone() {
                    return false;
                  }

                  @Override
                  public String get() {
                    return "";
                  }
                };
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void locksThatCannotBeNamedAreNamedByTheirExpression() {
    helper
        .addSourceLines(
            "Session.java",
            """
            import java.util.concurrent.locks.Lock;

            abstract class Session {
              abstract Lock getLock();

              void flush() throws InterruptedException {
                getLock().lock();
                try {
                  // BUG: Diagnostic contains: holds `getLock()` (a Lock) (taken at Session.java:7) and calls Thread.sleep(long)
                  Thread.sleep(1);
                } finally {
                  getLock().unlock();
                }
              }

              void touch() {
                getLock().lock();
                getLock().unlock();
              }
            }
            """)
        .doTest();
  }

  @Test
  void timedWaitOfTimeUnitReleasesTheMonitorItIsGiven() {
    helper
        .addSourceLines(
            "Executor.java",
            """
            import java.util.concurrent.TimeUnit;

            class Executor {
              private final Object lock = new Object();
              private final Object other = new Object();
              private boolean terminated;

              boolean awaitTermination(long nanos) throws InterruptedException {
                synchronized (lock) {
                  while (!terminated) {
                    TimeUnit.NANOSECONDS.timedWait(lock, nanos);
                  }
                  return true;
                }
              }

              void awaitHoldingAnother(long nanos) throws InterruptedException {
                synchronized (other) {
                  synchronized (lock) {
                    // BUG: Diagnostic contains: holds Executor.other (taken at Executor.java:18) and calls TimeUnit.timedWait(Object, long)
                    TimeUnit.NANOSECONDS.timedWait(lock, nanos);
                  }
                }
              }

              void terminate() {
                synchronized (other) {
                  synchronized (lock) {
                    terminated = true;
                    lock.notifyAll();
                  }
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void aWaitInCodeDeclaredToRunUnderTheLockReleasesTheCallersLock() {
    // awaitNanos runs under lock (@GuardedBy) and waits on a guard's condition of that lock,
    // made in the guard's constructor: its caller, holding the lock, is not blocked under it.
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
            "Monitor.java",
            """
            import java.util.concurrent.locks.Condition;
            import java.util.concurrent.locks.ReentrantLock;
            import javax.annotation.concurrent.GuardedBy;

            class Monitor {
              private final ReentrantLock lock = new ReentrantLock();

              static final class Guard {
                final Condition condition;

                Guard(Monitor monitor) {
                  this.condition = monitor.lock.newCondition();
                }
              }

              void enter() {
                lock.lock();
              }

              void leave() {
                lock.unlock();
              }

              @GuardedBy("lock")
              boolean awaitNanos(Guard guard, long nanos) throws InterruptedException {
                return guard.condition.awaitNanos(nanos) > 0;
              }
            }

            class Service {
              private final Monitor monitor = new Monitor();
              private final Monitor.Guard healthy = new Monitor.Guard(monitor);

              void awaitHealthy() throws InterruptedException {
                monitor.enter();
                try {
                  monitor.awaitNanos(healthy, 1_000);
                } finally {
                  monitor.leave();
                }
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }
}
