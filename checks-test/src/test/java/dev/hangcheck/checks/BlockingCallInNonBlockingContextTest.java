package dev.hangcheck.checks;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.errorprone.CompilationTestHelper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Blocking calls in code that must not block: designation, categories, chains, deferral. */
final class BlockingCallInNonBlockingContextTest {

  private final CompilationTestHelper helper =
      CompilationTestHelper.newInstance(BlockingCallInNonBlockingContext.class, getClass());

  @Test
  void everyCategoryIsReportedWithItsFix() {
    helper
        .addSourceLines(
            "Handler.java",
            """
            import dev.hangcheck.annotations.NonBlocking;
            import java.net.URI;
            import java.net.http.HttpClient;
            import java.net.http.HttpRequest;
            import java.net.http.HttpResponse;
            import java.nio.file.Files;
            import java.nio.file.Path;
            import java.sql.Connection;
            import java.sql.PreparedStatement;
            import java.util.concurrent.CompletableFuture;
            import java.util.concurrent.CountDownLatch;

            class Handler {
              HttpClient client;
              Connection connection;

              @NonBlocking
              void handle(CompletableFuture<String> future, CountDownLatch latch) throws Exception {
                // BUG: Diagnostic contains: calls Thread.sleep(long), which sleeps. Fix: schedule the rest with a ScheduledExecutorService
                Thread.sleep(10);
                // BUG: Diagnostic contains: calls CompletableFuture.join(), which waits for another thread. Fix: compose instead of waiting
                future.join();
                // BUG: Diagnostic contains: calls CountDownLatch.await(), which waits for another thread. Fix: do not wait here
                latch.await();
                // BUG: Diagnostic contains: calls Files.readAllBytes(Path), which blocks on file I/O. Fix: offload the file work
                Files.readAllBytes(Path.of("x"));
                // BUG: Diagnostic contains: calls HttpClient.send(HttpRequest, BodyHandler), which blocks on network I/O. Fix: use HttpClient.sendAsync
                client.send(HttpRequest.newBuilder(URI.create("http://x")).build(), HttpResponse.BodyHandlers.ofString());
                PreparedStatement statement = connection.prepareStatement("select 1");
                // BUG: Diagnostic contains: calls PreparedStatement.executeQuery(), which blocks on a database call. Fix: offload the database work
                statement.executeQuery();
                // BUG: Diagnostic contains: calls ProcessBuilder.start(), which blocks on starting or waiting for a process
                new ProcessBuilder("ls").start();
              }
            }
            """)
        .doTest();
  }

  @Test
  void opening_aConnectionThroughTheDriverIsADatabaseCall() {
    helper
        .addSourceLines(
            "Connector.java",
            """
            import dev.hangcheck.annotations.NonBlocking;
            import java.sql.Connection;
            import java.sql.Driver;
            import java.util.Properties;

            class Connector {
              Driver driver;

              @NonBlocking
              Connection open(Connection cached) throws Exception {
                // BUG: Diagnostic contains: calls Connection.isValid(int), which blocks on a database call
                if (cached.isValid(1)) {
                  return cached;
                }
                // BUG: Diagnostic contains: calls Driver.connect(String, Properties), which blocks on a database call
                return driver.connect("jdbc:h2:mem:", new Properties());
              }
            }
            """)
        .doTest();
  }

  @Test
  void closingAnExecutorWaitsForItsTasks_alsoAtTheEndOfTryWithResources() {
    // ExecutorService is AutoCloseable, and close() waits, since JDK 19: run on the JDK 25 leg.
    assumeTrue(Runtime.version().feature() >= 21, "needs JDK 21 or later");
    helper
        .addSourceLines(
            "Fanout.java",
            """
            import dev.hangcheck.annotations.NonBlocking;
            import java.util.concurrent.ExecutorService;
            import java.util.concurrent.Executors;

            class Fanout {
              @NonBlocking
              void run(ExecutorService shared) {
                // BUG: Diagnostic contains: calls ExecutorService.close(), which waits for another thread
                try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
                  executor.submit(() -> System.out.println("task"));
                }
                // BUG: Diagnostic contains: calls ExecutorService.close(), which waits for another thread
                shared.close();
              }
            }
            """)
        .doTest();
  }

  @Test
  void asyncApisAndPlainCodeAreFine() {
    helper
        .addSourceLines(
            "Handler.java",
            """
            import dev.hangcheck.annotations.NonBlocking;
            import java.net.URI;
            import java.net.http.HttpClient;
            import java.net.http.HttpRequest;
            import java.net.http.HttpResponse;
            import java.util.concurrent.CompletableFuture;

            class Handler {
              HttpClient client;

              @NonBlocking
              CompletableFuture<Integer> handle(CompletableFuture<String> future) {
                client.sendAsync(HttpRequest.newBuilder(URI.create("http://x")).build(), HttpResponse.BodyHandlers.ofString());
                if (future.isDone()) {
                  return CompletableFuture.completedFuture(future.getNow("").length());
                }
                new Thread(() -> {}).start();
                return future.thenApply(String::length);
              }

              void notAnnotated() throws InterruptedException {
                Thread.sleep(10);
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void blockingReachedThroughThreeCallsShowsTheChain() {
    helper
        .addSourceLines(
            "Handler.java",
            """
            import dev.hangcheck.annotations.NonBlocking;
            import java.io.FileInputStream;
            import java.io.IOException;

            class Handler {
              @NonBlocking
              int onRequest(String path) throws IOException {
                // BUG: Diagnostic contains: Handler.onRequest(String) (annotated @NonBlocking) calls Config.load(String) -> Config.parse(String) -> Config.readFirstByte(String) -> new FileInputStream(String) (Handler.java:27), which blocks on file I/O
                return Config.load(path);
              }
            }

            class Config {
              static int load(String path) throws IOException {
                return parse(path);
              }

              static int parse(String path) throws IOException {
                if (path.isEmpty()) {
                  return load("default");
                }
                return readFirstByte(path);
              }

              private static int readFirstByte(String path) throws IOException {
                try (FileInputStream in =
                    new FileInputStream(path)) {
                  return in.read();
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void callCyclesWithoutBlockingTerminateQuietly() {
    helper
        .addSourceLines(
            "Handler.java",
            """
            import dev.hangcheck.annotations.NonBlocking;

            class Handler {
              @NonBlocking
              int even(int n) {
                return n == 0 ? 1 : odd(n - 1);
              }

              int odd(int n) {
                return n == 0 ? 0 : even(n - 1) + odd(n - 1);
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void nonBlockingCalleeIsCheckedOnItsOwnNotThroughItsCallers() {
    helper
        .addSourceLines(
            "Loop.java",
            """
            import dev.hangcheck.annotations.NonBlocking;

            class Loop {
              @NonBlocking
              void outer() {
                inner();
              }

              @NonBlocking
              void inner() {
                try {
                  // BUG: Diagnostic contains: Loop.inner() (annotated @NonBlocking) calls Thread.sleep(long)
                  Thread.sleep(1);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void offloadedLambdasAndAnonymousClassesAreNotNonBlocking() {
    helper
        .addSourceLines(
            "Handler.java",
            """
            import dev.hangcheck.annotations.NonBlocking;
            import java.nio.file.Files;
            import java.nio.file.Path;
            import java.util.List;
            import java.util.concurrent.CompletableFuture;
            import java.util.concurrent.Executor;

            class Handler {
              Executor io;

              @NonBlocking
              void handle(List<Path> paths) {
                io.execute(() -> read(paths.get(0)));
                CompletableFuture.supplyAsync(() -> read(paths.get(1)), io);
                io.execute(new Runnable() {
                  @Override
                  public void run() {
                    read(paths.get(2));
                  }
                });
                Runnable later = this::readAll;
                io.execute(later);
                // BUG: Diagnostic contains: Handler.handle(List) (annotated @NonBlocking) calls Handler.read(Path) -> Files.readString(Path)
                paths.forEach(path -> read(path));
              }

              void readAll() {
                read(Path.of("all"));
              }

              String read(Path path) {
                try {
                  return Files.readString(path);
                } catch (java.io.IOException e) {
                  return "";
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void timedWaitsAreReportedWithTheirTimeout() {
    helper
        .addSourceLines(
            "Handler.java",
            """
            import dev.hangcheck.annotations.NonBlocking;
                        import java.util.concurrent.Future;
            import java.util.concurrent.TimeUnit;
            import java.util.concurrent.locks.Condition;

            class Handler {
              @NonBlocking
              void handle(Future<String> future, Thread worker, Condition condition) throws Exception {
                // BUG: Diagnostic contains: calls Future.get(long, TimeUnit), which waits for another thread (for up to 50 TimeUnit.MILLISECONDS)
                future.get(50, TimeUnit.MILLISECONDS);
                // BUG: Diagnostic contains: calls Thread.join(long), which waits for another thread (for up to 1000 ms)
                worker.join(1000);
                // BUG: Diagnostic contains: calls Condition.await(long, TimeUnit), which waits for another thread (for up to 5 TimeUnit.SECONDS)
                condition.await(5, TimeUnit.SECONDS);
              }
            }
            """)
        .doTest();
  }

  @Test
  void overridesOfAnAnnotatedInterfaceMethodAreNonBlocking() {
    helper
        .addSourceLines(
            "Events.java",
            """
            import dev.hangcheck.annotations.NonBlocking;

            interface EventHandler {
              @NonBlocking
              void onEvent(String event);
            }

            class Logger implements EventHandler {
              @Override
              public void onEvent(String event) {
                try {
                  // BUG: Diagnostic contains: Logger.onEvent(String) (overrides EventHandler.onEvent(String), annotated @NonBlocking) calls Thread.sleep(long)
                  Thread.sleep(5);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
            }

            class Quiet implements EventHandler {
              @Override
              public void onEvent(String event) {}
            }
            """)
        .doTest();
  }

  @Test
  void classLevelAnnotationCoversItsMethodsAndMethodLevelWins() {
    helper
        .addSourceLines(
            "Screen.java",
            """
            import dev.hangcheck.annotations.Blocking;
            import dev.hangcheck.annotations.NonBlocking;

            @NonBlocking
            class Screen {
              void render() throws InterruptedException {
                // BUG: Diagnostic contains: Screen.render() (in a class annotated @NonBlocking) calls Thread.sleep(long)
                Thread.sleep(16);
              }

              @Blocking
              void loadAssets() throws InterruptedException {
                Thread.sleep(100);
              }

              void onClick() throws InterruptedException {
                // BUG: Diagnostic contains: calls Screen.loadAssets(), which is declared blocking
                loadAssets();
              }
            }
            """)
        .doTest();
  }

  @Test
  void recognisedAnnotationsOfOtherLibrariesByName() {
    helper
        .addSourceLines(
            "androidx/annotation/UiThread.java",
            "package androidx.annotation; public @interface UiThread {}")
        .addSourceLines(
            "org/jetbrains/annotations/NonBlocking.java",
            "package org.jetbrains.annotations; public @interface NonBlocking {}")
        .addSourceLines(
            "org/jetbrains/annotations/Blocking.java",
            "package org.jetbrains.annotations; public @interface Blocking {}")
        .addSourceLines(
            "Activity.java",
            """
            import androidx.annotation.UiThread;
            import org.jetbrains.annotations.Blocking;
            import org.jetbrains.annotations.NonBlocking;

            class Activity {
              @UiThread
              void onCreate() {
                // BUG: Diagnostic contains: Activity.onCreate() (annotated @UiThread) calls Activity.fetch(), which is declared blocking
                fetch();
              }

              @NonBlocking
              void onResume() {
                // BUG: Diagnostic contains: Activity.onResume() (annotated @NonBlocking) calls Activity.fetch()
                fetch();
              }

              @Blocking
              void fetch() {}
            }
            """)
        .doTest();
  }

  @Test
  void suppressionSilencesTheMethodAndDeclaresItFineToCall() {
    helper
        .addSourceLines(
            "Handler.java",
            """
            import dev.hangcheck.annotations.NonBlocking;

            class Handler {
              @NonBlocking
              @SuppressWarnings("BlockingCallInNonBlockingContext") // runs once, before the loop starts
              void warmUp() throws InterruptedException {
                Thread.sleep(1);
              }

              @NonBlocking
              void handle() {
                cachedLookup();
              }

              @SuppressWarnings("BlockingCallInNonBlockingContext") // the file is in the page cache
              void cachedLookup() {
                try {
                  java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/status"));
                } catch (java.io.IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              }
            }
            """)
        .expectNoDiagnostics()
        .doTest();
  }

  @Test
  void flagsDesignateAnnotationsMethodsAndBlockingMethods() {
    helper
        .setArgs(
            List.of(
                "-XepOpt:Hangcheck:NonBlockingAnnotations=com.acme.EventLoop",
                "-XepOpt:Hangcheck:NonBlockingMethods=com.acme.Handler#channelRead",
                "-XepOpt:Hangcheck:BlockingMethods=com.acme.Db#query"))
        .addSourceLines(
            "com/acme/EventLoop.java", "package com.acme; public @interface EventLoop {}")
        .addSourceLines(
            "com/acme/Db.java",
            """
            package com.acme;

            public class Db {
              public String query(String sql) {
                return sql;
              }

              public String query(String sql, int limit) {
                return sql;
              }

              public String cached(String key) {
                return key;
              }
            }
            """)
        .addSourceLines(
            "com/acme/Handler.java",
            """
            package com.acme;

            public interface Handler {
              void channelRead(Object message);
            }
            """)
        .addSourceLines(
            "com/acme/Server.java",
            """
            package com.acme;

            class Server implements Handler {
              Db db;

              @Override
              public void channelRead(Object message) {
                // BUG: Diagnostic contains: Server.channelRead(Object) (matches -XepOpt:Hangcheck:NonBlockingMethods=com.acme.Handler#channelRead) calls Db.query(String), which is declared blocking
                db.query("select");
                db.cached("k");
              }

              @EventLoop
              void tick() {
                // BUG: Diagnostic contains: Server.tick() (annotated @EventLoop) calls Db.query(String, int), which is declared blocking
                db.query("select", 1);
              }
            }
            """)
        .doTest();
  }

  @Test
  void gettingTheResultOfACompletedFutureDoesNotBlock() {
    helper
        .addSourceLines(
            "Handler.java",
            """
            import dev.hangcheck.annotations.NonBlocking;
            import java.util.concurrent.CompletableFuture;
            import java.util.concurrent.Future;

            class Handler {
              @NonBlocking
              String onComplete(Future<String> future, CompletableFuture<String> other)
                  throws Exception {
                if (future.isDone()) {
                  return future.get();
                }
                if (!other.isDone() || other.isCancelled()) {
                  return null;
                }
                String joined = other.join();
                return future.isDone() && joined != null ? future.get() : joined;
              }

              @NonBlocking
              String stillBlocks(Future<String> future, Future<String> another) throws Exception {
                if (another.isDone()) {
                  // BUG: Diagnostic contains: calls Future.get(), which waits for another thread
                  return future.get();
                }
                if (!future.isDone()) {
                  // BUG: Diagnostic contains: calls Future.get(), which waits for another thread
                  return future.get();
                }
                return null;
              }
            }
            """)
        .doTest();
  }
}
