package dev.hangcheck.frameworks;

import com.google.errorprone.CompilationTestHelper;
import dev.hangcheck.checks.BlockingCallInNonBlockingContext;
import org.junit.jupiter.api.Test;

/**
 * Reactor pipelines: the functions given to operators and sources must not block unless the chain
 * moves them to a scheduler made for blocking.
 */
final class ReactorContextTest {

  private final CompilationTestHelper helper =
      CompilationTestHelper.newInstance(BlockingCallInNonBlockingContext.class, getClass());

  @Test
  void operatorsAndSourcesMustNotBlock() {
    helper
        .addSourceLines(
            "Users.java",
            """
            import java.nio.file.Files;
            import java.nio.file.Path;
            import java.sql.Connection;
            import reactor.core.publisher.Flux;
            import reactor.core.publisher.Mono;
            import reactor.core.scheduler.Schedulers;

            class Users {
              Connection connection;

              Flux<String> names(Flux<Path> files) {
                // BUG: Diagnostic contains: a method reference in Users.names(Flux) (a function given to Flux.map(), run on the thread that emits: a reactive pipeline must not block unless it is moved to a blocking scheduler) calls Users.read(Path) -> Files.readString(Path)
                return files.map(Users::read);
              }

              Mono<Integer> count() {
                // BUG: Diagnostic contains: a lambda in Users.count() (a function given to Mono.fromCallable()
                return Mono.fromCallable(() -> connection.createStatement().executeUpdate("delete"));
              }

              Mono<String> parallel(Mono<Path> file) {
                // A parallel scheduler is no place to block either.
                return file.publishOn(Schedulers.parallel())
                    // BUG: Diagnostic contains: (a function given to Mono.map()
                    .map(path -> read(path));
              }

              static String read(Path path) {
                try {
                  return Files.readString(path);
                } catch (java.io.IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void subscribeOnOrPublishOnABlockingSchedulerIsTheOffload() {
    helper
        .addSourceLines(
            "Users.java",
            """
            import java.nio.file.Files;
            import java.nio.file.Path;
            import java.sql.Connection;
            import reactor.core.publisher.Flux;
            import reactor.core.publisher.Mono;
            import reactor.core.scheduler.Scheduler;
            import reactor.core.scheduler.Schedulers;

            class Users {
              Connection connection;
              private static final Scheduler JDBC = Schedulers.newBoundedElastic(10, 100, "jdbc");

              Mono<Integer> count() {
                return Mono.fromCallable(() -> connection.createStatement().executeUpdate("delete"))
                    .subscribeOn(Schedulers.boundedElastic());
              }

              Flux<String> names(Flux<Path> files) {
                return files.publishOn(Schedulers.boundedElastic()).map(Users::read);
              }

              Mono<Integer> countOnOwnPool() {
                Mono<Integer> deleted =
                    Mono.fromCallable(() -> connection.createStatement().executeUpdate("delete"));
                return deleted.subscribeOn(JDBC).map(n -> n + 1);
              }

              private Scheduler io = Schedulers.boundedElastic(); // the default; a setter may change it
              private final Scheduler workers;

              Users(Scheduler workers) {
                this.workers = workers; // chosen by the caller: moving work there is the offload
              }

              Mono<Integer> countOnWorkers() {
                return Mono.fromCallable(() -> connection.createStatement().executeUpdate("delete"))
                    .subscribeOn(workers);
              }

              void setIo(Scheduler io) {
                this.io = io;
              }

              Mono<Integer> countOnTheDefault() {
                return Mono.fromCallable(() -> connection.createStatement().executeUpdate("delete"))
                    .subscribeOn(io);
              }

              Flux<String> upstream(Flux<Path> files) {
                Flux<Path> onWorkers = files.publishOn(JDBC);
                return onWorkers.map(Users::read);
              }

              static String read(Path path) {
                try {
                  return Files.readString(path);
                } catch (java.io.IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void aChainReturnedByAHelperIsOffloadedWhenEveryCallerSubscribesItOnABlockingScheduler() {
    helper
        .addSourceLines(
            "Repository.java",
            """
            import java.sql.Connection;
            import reactor.core.publisher.Mono;
            import reactor.core.scheduler.Schedulers;

            class Repository {
              Connection connection;

              private Mono<Integer> count() {
                return Mono.fromCallable(() -> connection.createStatement().executeUpdate("delete"));
              }

              private Mono<Integer> purge() {
                // BUG: Diagnostic contains: a lambda in Repository.purge() (a function given to Mono.fromCallable()
                return Mono.fromCallable(() -> connection.createStatement().executeUpdate("purge"));
              }

              Mono<String> report() {
                return count().subscribeOn(Schedulers.boundedElastic()).map(n -> "deleted " + n);
              }

              Mono<String> again() {
                return count().subscribeOn(Schedulers.boundedElastic()).map(String::valueOf);
              }

              Mono<Integer> purgeBoth() {
                return purge().subscribeOn(Schedulers.boundedElastic()).then(purge());
              }
            }
            """)
        .doTest();
  }

  @Test
  void aSchedulerNamedInTheFlagIsAnOffload() {
    helper
        .addSourceLines(
            "com/acme/Pools.java",
            """
            package com.acme;

            import reactor.core.scheduler.Scheduler;
            import reactor.core.scheduler.Schedulers;

            public class Pools {
              public static Scheduler database() {
                return Schedulers.fromExecutorService(java.util.concurrent.Executors.newFixedThreadPool(4));
              }

              public static Scheduler events() {
                return Schedulers.parallel();
              }
            }
            """)
        .addSourceLines(
            "Users.java",
            """
            import com.acme.Pools;
            import java.sql.Connection;
            import reactor.core.publisher.Mono;

            class Users {
              Connection connection;

              Mono<Integer> count() {
                return Mono.fromCallable(() -> connection.createStatement().executeUpdate("delete"))
                    .subscribeOn(Pools.database());
              }

              Mono<Integer> countOnEvents() {
                return Mono.fromCallable(
                        // BUG: Diagnostic contains: (a function given to Mono.fromCallable()
                        () -> connection.createStatement().executeUpdate("delete"))
                    .subscribeOn(Pools.events());
              }
            }
            """)
        .setArgs("-XepOpt:Hangcheck:BlockingSchedulers=com.acme.Pools#database")
        .doTest();
  }
}
