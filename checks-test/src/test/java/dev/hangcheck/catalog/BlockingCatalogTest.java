package dev.hangcheck.catalog;

import dev.hangcheck.testing.CompiledLibrary;
import dev.hangcheck.catalog.BlockingMethod;
import dev.hangcheck.catalog.BlockingCatalog;
import static com.google.errorprone.BugPattern.SeverityLevel.WARNING;

import com.google.errorprone.BugPattern;
import com.google.errorprone.CompilationTestHelper;
import com.google.errorprone.ErrorProneFlags;
import com.google.errorprone.VisitorState;
import com.google.errorprone.bugpatterns.BugChecker;
import com.google.errorprone.bugpatterns.BugChecker.MethodInvocationTreeMatcher;
import com.google.errorprone.bugpatterns.BugChecker.NewClassTreeMatcher;
import com.google.errorprone.matchers.Description;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.Tree;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import dev.hangcheck.config.HangcheckConfig;
import java.nio.file.Path;
import javax.inject.Inject;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class BlockingCatalogTest {

  /** Reports every call the catalog classifies: {@code CATEGORY entry (timed|untimed)}. */
  @BugPattern(
      name = "ClassifyCalls",
      summary = "Reports how each call blocks, for tests of BlockingCatalog",
      severity = WARNING)
  public static final class ClassifyCalls extends BugChecker
      implements MethodInvocationTreeMatcher, NewClassTreeMatcher {

    private final BlockingCatalog catalog;

    @Inject
    public ClassifyCalls(ErrorProneFlags flags) {
      this.catalog = HangcheckConfig.fromFlags(flags).blockingCatalog();
    }

    @Override
    public Description matchMethodInvocation(MethodInvocationTree tree, VisitorState state) {
      MethodSymbol method = ASTHelpers.getSymbol(tree);
      return describe(
          tree, method, catalog.classify(method, ASTHelpers.getReceiverType(tree), state));
    }

    @Override
    public Description matchNewClass(NewClassTree tree, VisitorState state) {
      MethodSymbol constructor = ASTHelpers.getSymbol(tree);
      return describe(tree, constructor, catalog.classify(constructor, state));
    }

    private Description describe(
        Tree tree, MethodSymbol method, @Nullable BlockingMethod blockingMethod) {
      if (blockingMethod == null) {
        return Description.NO_MATCH;
      }
      return buildDescription(tree)
          .setMessage(
              blockingMethod.category()
                  + " "
                  + blockingMethod.entry()
                  + (BlockingCatalog.isTimed(method) ? " (timed)" : " (untimed)"))
          .build();
    }
  }

  private final CompilationTestHelper helper =
      CompilationTestHelper.newInstance(ClassifyCalls.class, getClass());

  @Test
  void sleeps() {
    helper
        .addSourceLines(
            "Sleeps.java",
            "import com.google.common.util.concurrent.Uninterruptibles;",
            "import java.util.concurrent.TimeUnit;",
            "class Sleeps {",
            "  void f() throws InterruptedException {",
            "    // BUG: Diagnostic contains: SLEEP java.lang.Thread#sleep (untimed)",
            "    Thread.sleep(10);",
            "    // BUG: Diagnostic contains: SLEEP java.util.concurrent.TimeUnit#sleep (untimed)",
            "    TimeUnit.SECONDS.sleep(1);",
            "    // BUG: Diagnostic contains: SLEEP"
                + " com.google.common.util.concurrent.Uninterruptibles#sleepUninterruptibly"
                + " (untimed)",
            "    Uninterruptibles.sleepUninterruptibly(1, TimeUnit.SECONDS);",
            "  }",
            "}")
        .doTest();
  }

  @Test
  void waits() {
    helper
        .addSourceLines(
            "Waits.java",
            "import static java.util.concurrent.TimeUnit.SECONDS;",
            "import java.util.List;",
            "import java.util.concurrent.*;",
            "import java.util.concurrent.locks.*;",
            "class Waits {",
            "  void f(Object lock, Thread thread, Future<String> future, CountDownLatch latch,",
            "      CyclicBarrier barrier, Semaphore semaphore, Exchanger<String> exchanger,",
            "      Phaser phaser, Condition condition, ExecutorService executor, Process process)",
            "      throws Exception {",
            "    // BUG: Diagnostic contains: WAIT java.lang.Object#wait() (untimed)",
            "    lock.wait();",
            "    // BUG: Diagnostic contains: WAIT java.lang.Object#wait(long) (timed)",
            "    lock.wait(10);",
            "    // BUG: Diagnostic contains: WAIT java.lang.Object#wait(long,int) (timed)",
            "    lock.wait(10, 5);",
            "    lock.notifyAll();",
            "    // BUG: Diagnostic contains: WAIT java.lang.Thread#join (untimed)",
            "    thread.join();",
            "    // BUG: Diagnostic contains: WAIT java.lang.Thread#join (timed)",
            "    thread.join(100);",
            "    thread.start();",
            "    thread.interrupt();",
            "    // BUG: Diagnostic contains: WAIT java.util.concurrent.Future#get (untimed)",
            "    future.get();",
            "    // BUG: Diagnostic contains: WAIT java.util.concurrent.Future#get (timed)",
            "    future.get(1, SECONDS);",
            "    future.isDone();",
            "    future.cancel(true);",
            "    // BUG: Diagnostic contains: WAIT java.util.concurrent.CountDownLatch#await"
                + " (untimed)",
            "    latch.await();",
            "    // BUG: Diagnostic contains: WAIT java.util.concurrent.CountDownLatch#await"
                + " (timed)",
            "    latch.await(1, SECONDS);",
            "    latch.countDown();",
            "    // BUG: Diagnostic contains: WAIT java.util.concurrent.CyclicBarrier#await",
            "    barrier.await();",
            "    // BUG: Diagnostic contains: WAIT java.util.concurrent.Semaphore#acquire"
                + " (untimed)",
            "    semaphore.acquire();",
            "    // BUG: Diagnostic contains: WAIT"
                + " java.util.concurrent.Semaphore#acquireUninterruptibly",
            "    semaphore.acquireUninterruptibly(2);",
            "    // BUG: Diagnostic contains: WAIT"
                + " java.util.concurrent.Semaphore#tryAcquire(long,java.util.concurrent.TimeUnit)"
                + " (timed)",
            "    semaphore.tryAcquire(1, SECONDS);",
            "    semaphore.tryAcquire();",
            "    semaphore.release();",
            "    // BUG: Diagnostic contains: WAIT java.util.concurrent.Exchanger#exchange",
            "    exchanger.exchange(\"x\");",
            "    // BUG: Diagnostic contains: WAIT java.util.concurrent.Phaser#awaitAdvance",
            "    phaser.awaitAdvance(0);",
            "    // BUG: Diagnostic contains: WAIT"
                + " java.util.concurrent.Phaser#awaitAdvanceInterruptibly (timed)",
            "    phaser.awaitAdvanceInterruptibly(0, 1, SECONDS);",
            "    // BUG: Diagnostic contains: WAIT"
                + " java.util.concurrent.Phaser#arriveAndAwaitAdvance",
            "    phaser.arriveAndAwaitAdvance();",
            "    phaser.arrive();",
            "    // BUG: Diagnostic contains: WAIT java.util.concurrent.locks.Condition#await"
                + " (untimed)",
            "    condition.await();",
            "    // BUG: Diagnostic contains: WAIT java.util.concurrent.locks.Condition#awaitNanos"
                + " (timed)",
            "    condition.awaitNanos(10);",
            "    // BUG: Diagnostic contains: WAIT java.util.concurrent.locks.Condition#awaitUntil"
                + " (timed)",
            "    condition.awaitUntil(new java.util.Date());",
            "    // BUG: Diagnostic contains: WAIT"
                + " java.util.concurrent.locks.Condition#awaitUninterruptibly (untimed)",
            "    condition.awaitUninterruptibly();",
            "    condition.signalAll();",
            "    // BUG: Diagnostic contains: WAIT java.util.concurrent.locks.LockSupport#park"
                + " (untimed)",
            "    LockSupport.park();",
            "    // BUG: Diagnostic contains: WAIT java.util.concurrent.locks.LockSupport#parkNanos"
                + " (timed)",
            "    LockSupport.parkNanos(10);",
            "    LockSupport.unpark(thread);",
            "    // BUG: Diagnostic contains: WAIT"
                + " java.util.concurrent.ExecutorService#awaitTermination (timed)",
            "    executor.awaitTermination(1, SECONDS);",
            "    // BUG: Diagnostic contains: WAIT java.util.concurrent.ExecutorService#invokeAll",
            "    executor.invokeAll(List.<Callable<String>>of());",
            "    // BUG: Diagnostic contains: WAIT java.util.concurrent.ExecutorService#invokeAny",
            "    executor.invokeAny(List.<Callable<String>>of());",
            "    executor.submit(() -> {});",
            "    executor.shutdown();",
            "    // BUG: Diagnostic contains: WAIT java.lang.Process#waitFor (untimed)",
            "    process.waitFor();",
            "    // BUG: Diagnostic contains: WAIT java.lang.Process#waitFor (timed)",
            "    process.waitFor(1, SECONDS);",
            "    process.destroy();",
            "  }",
            "}")
        .doTest();
  }

  @Test
  void queues() {
    helper
        .addSourceLines(
            "Queues.java",
            "import static java.util.concurrent.TimeUnit.SECONDS;",
            "import java.util.concurrent.*;",
            "class Queues {",
            "  void f(BlockingQueue<String> queue, BlockingDeque<String> deque,",
            "      LinkedBlockingQueue<String> linked, ArrayBlockingQueue<String> array)",
            "      throws InterruptedException {",
            "    // BUG: Diagnostic contains: WAIT java.util.concurrent.BlockingQueue#take",
            "    queue.take();",
            "    // BUG: Diagnostic contains: WAIT java.util.concurrent.BlockingQueue#put",
            "    queue.put(\"x\");",
            "    // BUG: Diagnostic contains: WAIT"
                + " java.util.concurrent.BlockingQueue#poll(long,java.util.concurrent.TimeUnit)"
                + " (timed)",
            "    queue.poll(1, SECONDS);",
            "    queue.poll();",
            "    queue.offer(\"x\");",
            "    // BUG: Diagnostic contains: WAIT java.util.concurrent.BlockingQueue"
                + "#offer(java.lang.Object,long,java.util.concurrent.TimeUnit) (timed)",
            "    queue.offer(\"x\", 1, SECONDS);",
            "    // BUG: Diagnostic contains: WAIT java.util.concurrent.BlockingDeque#takeFirst",
            "    deque.takeFirst();",
            "    // BUG: Diagnostic contains: WAIT java.util.concurrent.BlockingDeque#putLast",
            "    deque.putLast(\"x\");",
            "    // BUG: Diagnostic contains: WAIT java.util.concurrent.BlockingQueue#take",
            "    deque.take();",
            "    deque.pollFirst();",
            "    deque.peekLast();",
            "    // BUG: Diagnostic contains: WAIT java.util.concurrent.BlockingQueue#take",
            "    linked.take();",
            "    // BUG: Diagnostic contains: WAIT java.util.concurrent.BlockingQueue"
                + "#offer(java.lang.Object,long,java.util.concurrent.TimeUnit) (timed)",
            "    array.offer(\"x\", 1, SECONDS);",
            "    array.offer(\"x\");",
            "  }",
            "}")
        .doTest();
  }

  @Test
  void subtypesMatchTheEntriesOfTheirSupertypes() {
    helper
        .addSourceLines(
            "Subtypes.java",
            "import static java.util.concurrent.TimeUnit.SECONDS;",
            "import java.sql.*;",
            "import java.util.concurrent.*;",
            "class Subtypes {",
            "  static class MyFuture extends CompletableFuture<String> {",
            "    @Override public String get() { return \"\"; }",
            "  }",
            "  void f(CompletableFuture<String> completable, MyFuture mine,",
            "      PreparedStatement prepared, CallableStatement callable,",
            "      ScheduledThreadPoolExecutor scheduled, ForkJoinTask<String> task)",
            "      throws Exception {",
            "    // BUG: Diagnostic contains: WAIT java.util.concurrent.Future#get (untimed)",
            "    completable.get();",
            "    // BUG: Diagnostic contains: WAIT java.util.concurrent.Future#get (timed)",
            "    completable.get(1, SECONDS);",
            "    // BUG: Diagnostic contains: WAIT java.util.concurrent.CompletableFuture#join",
            "    completable.join();",
            "    completable.getNow(\"x\");",
            "    completable.isDone();",
            "    completable.thenApply(s -> s);",
            "    CompletableFuture.supplyAsync(() -> \"x\");",
            "    // BUG: Diagnostic contains: WAIT java.util.concurrent.Future#get",
            "    mine.get();",
            "    // BUG: Diagnostic contains: WAIT java.util.concurrent.CompletableFuture#join",
            "    mine.join();",
            "    // BUG: Diagnostic contains: DATABASE java.sql.Statement#executeQuery",
            "    prepared.executeQuery();",
            "    // BUG: Diagnostic contains: DATABASE java.sql.Statement#executeUpdate",
            "    prepared.executeUpdate();",
            "    prepared.setString(1, \"x\");",
            "    // BUG: Diagnostic contains: DATABASE java.sql.Statement#execute",
            "    callable.execute();",
            "    // BUG: Diagnostic contains: WAIT java.util.concurrent.ExecutorService"
                + "#awaitTermination (timed)",
            "    scheduled.awaitTermination(1, SECONDS);",
            "    // BUG: Diagnostic contains: WAIT java.util.concurrent.ForkJoinTask#join",
            "    task.join();",
            "    // BUG: Diagnostic contains: WAIT java.util.concurrent.Future#get",
            "    task.get();",
            "  }",
            "}")
        .doTest();
  }

  @Test
  void nonBlockingLookalikes_areNotClassified() {
    helper
        .addSourceLines(
            "Lookalikes.java",
            "import java.net.*;",
            "import java.net.http.*;",
            "import java.nio.file.*;",
            "import java.util.concurrent.*;",
            "class Lookalikes {",
            "  static class Unrelated {",
            "    String get() { return \"\"; }",
            "    void sleep() {}",
            "    void await() {}",
            "    void take() {}",
            "    void execute() {}",
            "  }",
            "  void f(HttpClient client, HttpRequest request, URL url, Future<String> future,",
            "      Thread thread, Path path, Unrelated unrelated) throws Exception {",
            "    client.sendAsync(request, HttpResponse.BodyHandlers.ofString());",
            "    new Socket();",
            "    new Socket(Proxy.NO_PROXY);",
            "    url.openConnection();",
            "    future.isDone();",
            "    thread.start();",
            "    path.resolve(\"x\");",
            "    Files.getFileAttributeView(path,"
                + " java.nio.file.attribute.BasicFileAttributeView.class);",
            "    com.google.common.util.concurrent.Futures.getDone(future);",
            "    unrelated.get();",
            "    unrelated.sleep();",
            "    unrelated.await();",
            "    unrelated.take();",
            "    unrelated.execute();",
            "  }",
            "}")
        .doTest();
  }

  @Test
  void fileIo() {
    helper
        .addSourceLines(
            "FileIo.java",
            "import java.io.*;",
            "import java.nio.channels.FileChannel;",
            "import java.nio.file.*;",
            "class FileIo {",
            "  void f(Path path, File file, FileChannel channel, FileReader reader, Writer writer)",
            "      throws IOException {",
            "    // BUG: Diagnostic contains: FILE java.io.FileInputStream#<init>",
            "    FileInputStream in = new FileInputStream(\"in\");",
            "    // BUG: Diagnostic contains: FILE java.io.FileInputStream#read",
            "    in.read();",
            "    // BUG: Diagnostic contains: FILE java.io.FileInputStream#readAllBytes",
            "    in.readAllBytes();",
            "    // BUG: Diagnostic contains: FILE java.io.FileInputStream#<init>",
            "    InputStream anonymous = new FileInputStream(file) {};",
            "    // BUG: Diagnostic contains: FILE java.io.FileOutputStream#<init>",
            "    FileOutputStream out = new FileOutputStream(file);",
            "    // BUG: Diagnostic contains: FILE java.io.FileOutputStream#write",
            "    out.write(new byte[1]);",
            "    // BUG: Diagnostic contains: FILE java.io.RandomAccessFile#<init>",
            "    RandomAccessFile random = new RandomAccessFile(file, \"r\");",
            "    // BUG: Diagnostic contains: FILE java.io.RandomAccessFile#readInt",
            "    random.readInt();",
            "    random.getFilePointer();",
            "    // BUG: Diagnostic contains: FILE java.io.FileWriter#<init>",
            "    FileWriter fileWriter = new FileWriter(file);",
            "    // BUG: Diagnostic contains: FILE java.io.FileWriter#write",
            "    fileWriter.write(\"x\");",
            "    // BUG: Diagnostic contains: FILE java.io.FileReader#read",
            "    reader.read();",
            "    writer.write(\"x\");",
            "    // BUG: Diagnostic contains: FILE java.nio.file.Files#readAllBytes",
            "    Files.readAllBytes(path);",
            "    // BUG: Diagnostic contains: FILE java.nio.file.Files#readString",
            "    Files.readString(path);",
            "    // BUG: Diagnostic contains: FILE java.nio.file.Files#writeString",
            "    Files.writeString(path, \"x\");",
            "    // BUG: Diagnostic contains: FILE java.nio.file.Files#walk",
            "    Files.walk(path);",
            "    // BUG: Diagnostic contains: FILE java.nio.file.Files#exists",
            "    Files.exists(path);",
            "    // BUG: Diagnostic contains: FILE java.nio.file.Files#createDirectories",
            "    Files.createDirectories(path);",
            "    // BUG: Diagnostic contains: FILE java.nio.channels.FileChannel#open",
            "    FileChannel.open(path);",
            "    // BUG: Diagnostic contains: FILE java.nio.channels.FileChannel#force",
            "    channel.force(true);",
            "    channel.isOpen();",
            "    // BUG: Diagnostic contains: FILE java.io.File#exists",
            "    file.exists();",
            "    // BUG: Diagnostic contains: FILE java.io.File#listFiles",
            "    file.listFiles();",
            "    file.getName();",
            "    file.toPath();",
            "    // BUG: Diagnostic contains: FILE java.util.zip.ZipFile#<init>",
            "    new java.util.jar.JarFile(file);",
            "  }",
            "}")
        .doTest();
  }

  @Test
  void networkIo() {
    helper
        .addSourceLines(
            "NetworkIo.java",
            "import java.net.*;",
            "import java.net.http.*;",
            "import java.nio.channels.SocketChannel;",
            "class NetworkIo {",
            "  void f(Socket socket, ServerSocket server, SocketAddress address, URL url,",
            "      URLConnection connection, HttpURLConnection http, HttpClient client,",
            "      HttpRequest request) throws Exception {",
            "    // BUG: Diagnostic contains: NETWORK java.net.Socket#<init>(java.lang.String,int)",
            "    new Socket(\"example.com\", 80);",
            "    // BUG: Diagnostic contains: NETWORK"
                + " java.net.Socket#<init>(java.net.InetAddress,int)",
            "    new Socket(InetAddress.getLoopbackAddress(), 80);",
            "    // BUG: Diagnostic contains: NETWORK java.net.Socket#connect",
            "    socket.connect(address);",
            "    // BUG: Diagnostic contains: NETWORK java.net.ServerSocket#accept",
            "    server.accept();",
            "    // BUG: Diagnostic contains: NETWORK java.net.URL#openStream",
            "    url.openStream();",
            "    // BUG: Diagnostic contains: NETWORK java.net.URLConnection#getInputStream",
            "    connection.getInputStream();",
            "    // BUG: Diagnostic contains: NETWORK java.net.URLConnection#connect",
            "    http.connect();",
            "    // BUG: Diagnostic contains: NETWORK java.net.HttpURLConnection#getResponseCode",
            "    http.getResponseCode();",
            "    http.setRequestMethod(\"GET\");",
            "    // BUG: Diagnostic contains: NETWORK java.net.http.HttpClient#send",
            "    client.send(request, HttpResponse.BodyHandlers.ofString());",
            "    // BUG: Diagnostic contains: NETWORK java.net.InetAddress#getByName",
            "    InetAddress.getByName(\"example.com\");",
            "    // BUG: Diagnostic contains: NETWORK java.net.InetAddress#getAllByName",
            "    InetAddress.getAllByName(\"example.com\");",
            "    // BUG: Diagnostic contains: NETWORK"
                + " java.nio.channels.SocketChannel#open(java.net.SocketAddress)",
            "    SocketChannel.open(address);",
            "    SocketChannel.open();",
            "  }",
            "}")
        .doTest();
  }

  @Test
  void databaseCalls() {
    helper
        .addSourceLines(
            "Database.java",
            "import java.sql.*;",
            "import javax.sql.DataSource;",
            "class Database {",
            "  void f(DataSource dataSource, Connection connection, Statement statement,",
            "      ResultSet results) throws SQLException {",
            "    // BUG: Diagnostic contains: DATABASE java.sql.DriverManager#getConnection",
            "    DriverManager.getConnection(\"jdbc:h2:mem:\");",
            "    // BUG: Diagnostic contains: DATABASE javax.sql.DataSource#getConnection",
            "    dataSource.getConnection();",
            "    // BUG: Diagnostic contains: DATABASE java.sql.Statement#executeQuery",
            "    statement.executeQuery(\"select 1\");",
            "    // BUG: Diagnostic contains: DATABASE java.sql.Statement#executeBatch",
            "    statement.executeBatch();",
            "    // BUG: Diagnostic contains: DATABASE java.sql.Statement#executeLargeUpdate",
            "    statement.executeLargeUpdate(\"delete from t\");",
            "    statement.addBatch(\"delete from t\");",
            "    // BUG: Diagnostic contains: DATABASE java.sql.Connection#commit",
            "    connection.commit();",
            "    connection.createStatement();",
            "    results.getString(1);",
            "  }",
            "}")
        .doTest();
  }

  @Test
  void processes() {
    helper
        .addSourceLines(
            "Processes.java",
            "import java.io.IOException;",
            "class Processes {",
            "  void f() throws IOException {",
            "    // BUG: Diagnostic contains: PROCESS java.lang.ProcessBuilder#start",
            "    new ProcessBuilder(\"ls\").start();",
            "    // BUG: Diagnostic contains: PROCESS java.lang.Runtime#exec",
            "    Runtime.getRuntime().exec(\"ls\");",
            "    Runtime.getRuntime().availableProcessors();",
            "  }",
            "}")
        .doTest();
  }

  @Test
  void libraries_matchedByNameWhenPresent() {
    helper
        .addSourceLines(
            "reactor/core/publisher/Mono.java",
            "package reactor.core.publisher;",
            "public abstract class Mono<T> {",
            "  public abstract T block();",
            "  public abstract T block(java.time.Duration timeout);",
            "  public abstract void subscribe();",
            "}")
        .addSourceLines(
            "reactor/core/publisher/Flux.java",
            "package reactor.core.publisher;",
            "public abstract class Flux<T> {",
            "  public abstract T blockFirst();",
            "  public abstract Iterable<T> toIterable();",
            "  public abstract Flux<T> take(long n);",
            "}")
        .addSourceLines(
            "io/reactivex/rxjava3/core/Single.java",
            "package io.reactivex.rxjava3.core;",
            "public abstract class Single<T> {",
            "  public abstract T blockingGet();",
            "  public abstract void subscribe();",
            "}")
        .addSourceLines(
            "okhttp3/Call.java",
            "package okhttp3;",
            "public interface Call {",
            "  Object execute() throws java.io.IOException;",
            "  void enqueue(Object callback);",
            "}")
        .addSourceLines(
            "io/netty/util/concurrent/Future.java",
            "package io.netty.util.concurrent;",
            "public interface Future<V> extends java.util.concurrent.Future<V> {",
            "  Future<V> sync() throws InterruptedException;",
            "  boolean await(long timeoutMillis) throws InterruptedException;",
            "  boolean isSuccess();",
            "}")
        .addSourceLines(
            "io/netty/channel/ChannelFuture.java",
            "package io.netty.channel;",
            "public interface ChannelFuture extends io.netty.util.concurrent.Future<Void> {",
            "  @Override ChannelFuture sync() throws InterruptedException;",
            "}")
        .addSourceLines(
            "org/apache/hc/client5/http/classic/HttpClient.java",
            "package org.apache.hc.client5.http.classic;",
            "public interface HttpClient {",
            "  Object execute(Object request) throws java.io.IOException;",
            "}")
        .addSourceLines(
            "org/apache/hc/client5/http/impl/classic/CloseableHttpClient.java",
            "package org.apache.hc.client5.http.impl.classic;",
            "public abstract class CloseableHttpClient",
            "    implements org.apache.hc.client5.http.classic.HttpClient {",
            "  @Override public Object execute(Object request) { return null; }",
            "  public void close() {}",
            "}")
        .addSourceLines(
            "Libraries.java",
            "import com.google.common.util.concurrent.Futures;",
            "import com.google.common.util.concurrent.Uninterruptibles;",
            "import io.netty.channel.ChannelFuture;",
            "import java.time.Duration;",
            "import java.util.concurrent.CountDownLatch;",
            "import java.util.concurrent.Future;",
            "import java.util.concurrent.TimeUnit;",
            "import org.apache.hc.client5.http.classic.HttpClient;",
            "import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;",
            "import reactor.core.publisher.Flux;",
            "import reactor.core.publisher.Mono;",
            "class Libraries {",
            "  void f(Mono<String> mono, Flux<String> flux,",
            "      io.reactivex.rxjava3.core.Single<String> single, okhttp3.Call call,",
            "      ChannelFuture channelFuture, HttpClient client, CloseableHttpClient closeable,",
            "      Future<String> future, CountDownLatch latch) throws Exception {",
            "    // BUG: Diagnostic contains: WAIT reactor.core.publisher.Mono#block (untimed)",
            "    mono.block();",
            "    // BUG: Diagnostic contains: WAIT reactor.core.publisher.Mono#block (timed)",
            "    mono.block(Duration.ofSeconds(1));",
            "    mono.subscribe();",
            "    // BUG: Diagnostic contains: WAIT reactor.core.publisher.Flux#blockFirst",
            "    flux.blockFirst();",
            "    // BUG: Diagnostic contains: WAIT reactor.core.publisher.Flux#toIterable",
            "    flux.toIterable();",
            "    flux.take(1);",
            "    // BUG: Diagnostic contains: WAIT io.reactivex.rxjava3.core.Single#blockingGet",
            "    single.blockingGet();",
            "    single.subscribe();",
            "    // BUG: Diagnostic contains: NETWORK okhttp3.Call#execute",
            "    call.execute();",
            "    call.enqueue(null);",
            "    // BUG: Diagnostic contains: WAIT io.netty.util.concurrent.Future#sync",
            "    channelFuture.sync();",
            "    // BUG: Diagnostic contains: WAIT io.netty.util.concurrent.Future#await (timed)",
            "    channelFuture.await(100);",
            "    // BUG: Diagnostic contains: WAIT java.util.concurrent.Future#get",
            "    channelFuture.get();",
            "    channelFuture.isSuccess();",
            "    // BUG: Diagnostic contains: NETWORK"
                + " org.apache.hc.client5.http.classic.HttpClient#execute",
            "    client.execute(null);",
            "    // BUG: Diagnostic contains: NETWORK"
                + " org.apache.hc.client5.http.impl.classic.CloseableHttpClient#execute",
            "    closeable.execute(null);",
            "    closeable.close();",
            "    // BUG: Diagnostic contains: WAIT"
                + " com.google.common.util.concurrent.Uninterruptibles#getUninterruptibly"
                + " (untimed)",
            "    Uninterruptibles.getUninterruptibly(future);",
            "    // BUG: Diagnostic contains: WAIT"
                + " com.google.common.util.concurrent.Uninterruptibles#awaitUninterruptibly"
                + " (timed)",
            "    Uninterruptibles.awaitUninterruptibly(latch, 1, TimeUnit.SECONDS);",
            "    // BUG: Diagnostic contains: WAIT"
                + " com.google.common.util.concurrent.Futures#getUnchecked",
            "    Futures.getUnchecked(future);",
            "    Futures.getDone(future);",
            "    Futures.immediateFuture(\"x\");",
            "  }",
            "}")
        .doTest();
  }

  @Test
  void blockingAnnotationsInSource() {
    helper
        .addSourceLines(
            "org/jetbrains/annotations/Blocking.java",
            "package org.jetbrains.annotations;",
            "public @interface Blocking {}")
        .addSourceLines(
            "Annotated.java",
            "import dev.hangcheck.annotations.Blocking;",
            "import dev.hangcheck.annotations.NonBlocking;",
            "class Repo {",
            "  @Blocking Repo() {}",
            "  @Blocking String load() { return \"\"; }",
            "  @org.jetbrains.annotations.Blocking String fetch() { return \"\"; }",
            "  String cached() { return \"\"; }",
            "}",
            "@Blocking",
            "class Db {",
            "  String query() { return \"\"; }",
            "  static Db open() {",
            "    // BUG: Diagnostic contains: DECLARED @Blocking",
            "    return new Db();",
            "  }",
            "  @NonBlocking String name() { return \"\"; }",
            "  class Row {",
            "    String value() { return \"\"; }",
            "  }",
            "}",
            "class Use {",
            "  void f(Repo repo, Db db, Db.Row row) {",
            "    // BUG: Diagnostic contains: DECLARED @Blocking",
            "    new Repo();",
            "    // BUG: Diagnostic contains: DECLARED @Blocking",
            "    repo.load();",
            "    // BUG: Diagnostic contains: DECLARED @Blocking",
            "    repo.fetch();",
            "    repo.cached();",
            "    // BUG: Diagnostic contains: DECLARED @Blocking",
            "    db.query();",
            "    // BUG: Diagnostic contains: DECLARED @Blocking",
            "    Db.open();",
            "    // BUG: Diagnostic contains: DECLARED @Blocking",
            "    new Db();",
            "    db.name();",
            "    row.value();",
            "  }",
            "}")
        .doTest();
  }

  @Test
  void blockingAnnotationsInClassFiles(@TempDir Path temporaryFolder) {
    String classpath =
        new CompiledLibrary(temporaryFolder)
            .addSourceLines(
                "com/acme/lib/Client.java",
                "package com.acme.lib;",
                "import dev.hangcheck.annotations.Blocking;",
                "public class Client {",
                "  @Blocking public String fetch() { return \"\"; }",
                "  public String cached() { return \"\"; }",
                "}")
            .addSourceLines(
                "com/acme/lib/Store.java",
                "package com.acme.lib;",
                "@dev.hangcheck.annotations.Blocking",
                "public class Store {",
                "  public String load() { return \"\"; }",
                "}")
            .compileToClasspath();
    helper
        .setArgs("-classpath", classpath)
        .addSourceLines(
            "UseLibrary.java",
            "import com.acme.lib.Client;",
            "import com.acme.lib.Store;",
            "class UseLibrary {",
            "  void f(Client client, Store store) {",
            "    // BUG: Diagnostic contains: DECLARED @Blocking",
            "    client.fetch();",
            "    client.cached();",
            "    // BUG: Diagnostic contains: DECLARED @Blocking",
            "    store.load();",
            "  }",
            "}")
        .doTest();
  }

  @Test
  void blockingMethodsFlag() {
    helper
        .setArgs(
            "-XepOpt:Hangcheck:BlockingMethods=com.acme.Db#query, com.acme.Cache#<init>,"
                + "java.lang.Thread#sleep")
        .addSourceLines(
            "com/acme/Db.java",
            "package com.acme;",
            "class Db {",
            "  String query(String sql) { return \"\"; }",
            "  String query(String sql, int limit) { return \"\"; }",
            "  String name() { return \"\"; }",
            "}")
        .addSourceLines(
            "com/acme/ReplicaDb.java",
            "package com.acme;",
            "class ReplicaDb extends Db {",
            "  @Override String query(String sql) { return \"\"; }",
            "}")
        .addSourceLines(
            "com/acme/Cache.java",
            "package com.acme;",
            "class Cache {",
            "  Cache() {}",
            "  Cache(int size) {}",
            "}")
        .addSourceLines(
            "com/acme/Use.java",
            "package com.acme;",
            "class Use {",
            "  void f(Db db, ReplicaDb replica) throws InterruptedException {",
            "    // BUG: Diagnostic contains: DECLARED com.acme.Db#query",
            "    db.query(\"x\");",
            "    // BUG: Diagnostic contains: DECLARED com.acme.Db#query",
            "    db.query(\"x\", 1);",
            "    // BUG: Diagnostic contains: DECLARED com.acme.Db#query",
            "    replica.query(\"x\");",
            "    db.name();",
            "    // BUG: Diagnostic contains: DECLARED com.acme.Cache#<init>",
            "    new Cache();",
            "    // BUG: Diagnostic contains: DECLARED com.acme.Cache#<init>",
            "    new Cache(1);",
            "    // The catalog's own entry wins over the flag's.",
            "    // BUG: Diagnostic contains: SLEEP java.lang.Thread#sleep",
            "    Thread.sleep(1);",
            "  }",
            "}")
        .doTest();
  }
}
