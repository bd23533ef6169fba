package dev.hangcheck.frameworks;

import com.google.errorprone.CompilationTestHelper;
import dev.hangcheck.checks.BlockingCallInNonBlockingContext;
import org.junit.jupiter.api.Test;

/** Vert.x's event loop: handlers given to its APIs, future callbacks, verticles' start and stop. */
final class VertxContextTest {

  private final CompilationTestHelper helper =
      CompilationTestHelper.newInstance(BlockingCallInNonBlockingContext.class, getClass());

  @Test
  void handlersTimersAndConsumersRunOnTheEventLoop() {
    helper
        .addSourceLines(
            "Server.java",
            """
            import io.vertx.core.Handler;
            import io.vertx.core.Vertx;
            import io.vertx.core.http.HttpServerRequest;
            import java.nio.file.Files;
            import java.nio.file.Path;

            class Server {
              void start(Vertx vertx) {
                vertx
                    .createHttpServer()
                    // BUG: Diagnostic contains: a lambda in Server.start(Vertx) (a handler given to HttpServer.requestHandler(), run on the event loop) calls Server.page() -> Files.readString(Path)
                    .requestHandler(request -> request.response().end(page()))
                    .listen(8080);
                // BUG: Diagnostic contains: (a handler given to Vertx.setPeriodic(), run on the event loop) calls Server.sleepQuietly() -> Thread.sleep(long)
                vertx.setPeriodic(1000, id -> sleepQuietly());
                // BUG: Diagnostic contains: a method reference in Server.start(Vertx) (a handler given to MessageConsumer.handler(), run on the event loop) calls Server.onMessage(Message) -> Files.writeString
                vertx.eventBus().<String>consumer("audit").handler(this::onMessage);
                vertx.setTimer(
                    10,
                    new Handler<Long>() {
                      @Override
                      public void handle(Long id) {
                        // BUG: Diagnostic contains: Server.<anonymous Handler>.handle(Long) (a handler given to Vertx.setTimer(), run on the event loop) calls Server.sleepQuietly() -> Thread.sleep(long)
                        sleepQuietly();
                      }
                    });
              }

              void onMessage(io.vertx.core.eventbus.Message<String> message) {
                try {
                  Files.writeString(Path.of("audit.log"), message.body());
                } catch (java.io.IOException e) {
                  message.fail(1, e.getMessage());
                }
              }

              static String page() {
                try {
                  return Files.readString(Path.of("index.html"));
                } catch (java.io.IOException e) {
                  return "";
                }
              }

              static void sleepQuietly() {
                try {
                  Thread.sleep(5);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void futureCallbacksAndVerticlesRunOnTheEventLoop() {
    helper
        .addSourceLines(
            "Loader.java",
            """
            import io.vertx.core.AbstractVerticle;
            import io.vertx.core.Future;
            import java.nio.file.Files;
            import java.nio.file.Path;

            class Loader extends AbstractVerticle {
              @Override
              public void start() throws Exception {
                // BUG: Diagnostic contains: Loader.start() (a Vert.x verticle's start or stop, run on its event loop) calls Files.readString(Path)
                String config = Files.readString(Path.of("config.json"));
              }

              void exists(io.vertx.core.Vertx vertx, Future<String> name) {
                // BUG: Diagnostic contains: a lambda in Loader.exists(Vertx, Future) (a handler given to Future.onSuccess(), run on the event loop) calls FileSystem.existsBlocking(String), which blocks on file I/O
                name.onSuccess(n -> vertx.fileSystem().existsBlocking(n));
              }

              Future<Integer> size(Future<String> name) {
                // BUG: Diagnostic contains: a lambda in Loader.size(Future) (a handler given to Future.map(), run on the event loop) calls Files.size(Path)
                return name.map(n -> { try { return (int) Files.size(Path.of(n)); } catch (java.io.IOException e) { return -1; } });
              }
            }
            """)
        .doTest();
  }

  @Test
  void aNamedHandlerClassGivenToAVertxApiRunsOnTheEventLoop() {
    helper
        .addSourceLines(
            "Ticker.java",
            """
            import io.vertx.core.Handler;
            import io.vertx.core.Vertx;
            import java.nio.file.Files;
            import java.nio.file.Path;

            class Ticker implements Handler<Long> {
              @Override
              public void handle(Long id) {
                try {
                  // BUG: Diagnostic contains: Ticker.handle(Long) (a handler given to Vertx.setPeriodic(), run on the event loop) calls Files.writeString
                  Files.writeString(Path.of("ticks"), String.valueOf(id));
                } catch (java.io.IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              }
            }

            class Report implements Handler<Long> {
              @Override
              public void handle(Long id) {
                try {
                  Files.writeString(Path.of("report"), String.valueOf(id));
                } catch (java.io.IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              }
            }

            class Reading {
              @Override
              public String toString() {
                try {
                  return Files.readString(Path.of("reading"));
                } catch (java.io.IOException e) {
                  return "";
                }
              }
            }

            class Clock {
              io.vertx.core.Future<Reading> last() {
                // A value, not a handler: its methods run wherever they are called.
                return io.vertx.core.Future.succeededFuture(new Reading());
              }

              void start(Vertx vertx) throws Exception {
                vertx.setPeriodic(1000, new Ticker());
                // Not given to Vert.x: a plain call, on whatever thread calls it.
                new Report().handle(1L);
              }
            }
            """)
        .doTest();
  }

  @Test
  void aRouteHandlerClassRunsOnTheEventLoopUnlessItIsABlockingHandler() {
    helper
        .addSourceLines(
            "io/vertx/ext/web/RoutingContext.java",
            "package io.vertx.ext.web; public interface RoutingContext { void next(); }")
        .addSourceLines(
            "io/vertx/ext/web/Route.java",
            """
            package io.vertx.ext.web;

            import io.vertx.core.Handler;

            public interface Route {
              Route handler(Handler<RoutingContext> handler);

              Route blockingHandler(Handler<RoutingContext> handler);
            }
            """)
        .addSourceLines(
            "Export.java",
            """
            import io.vertx.core.Handler;
            import io.vertx.ext.web.Route;
            import io.vertx.ext.web.RoutingContext;
            import java.nio.file.Files;
            import java.nio.file.Path;

            // A library's handler: its users give it to their routes.
            public class Export implements Handler<RoutingContext> {
              @Override
              public void handle(RoutingContext context) {
                try {
                  // BUG: Diagnostic contains: Export.handle(RoutingContext) (a Vert.x Web route handler, run on the event loop) calls Files.readString(Path)
                  Files.readString(Path.of("export.csv"));
                } catch (java.io.IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
                context.next();
              }
            }

            class Archive implements Handler<RoutingContext> {
              @Override
              public void handle(RoutingContext context) {
                try {
                  Files.readString(Path.of("archive.csv"));
                } catch (java.io.IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              }
            }

            class Routes {
              void wire(Route route) {
                route.blockingHandler(new Archive());
                route.blockingHandler(
                    new Handler<RoutingContext>() {
                      @Override
                      public void handle(RoutingContext context) {
                        slow();
                      }
                    });
                // BUG: Diagnostic contains: a lambda in Routes.wire(Route) (a Vert.x Web route handler, run on the event loop) calls Routes.slow()
                Handler<RoutingContext> audit = context -> slow();
                route.handler(audit);
              }

              static void slow() {
                try {
                  Thread.sleep(5);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  void executeBlockingIsTheOffload() {
    helper
        .addSourceLines(
            "Offloading.java",
            """
            import io.vertx.core.Vertx;
            import java.nio.file.Files;
            import java.nio.file.Path;

            class Offloading {
              void start(Vertx vertx) {
                vertx
                    .createHttpServer()
                    .requestHandler(
                        request ->
                            vertx
                                .executeBlocking(() -> Files.readString(Path.of("index.html")))
                                .onSuccess(page -> request.response().end(page)))
                    .listen(8080);
              }
            }
            """)
        .doTest();
  }
}
