package dev.hangcheck.frameworks;

import com.google.errorprone.CompilationTestHelper;
import dev.hangcheck.checks.BlockingCallInNonBlockingContext;
import org.junit.jupiter.api.Test;

/** Spring WebFlux: reactive controller methods and handler functions run on the event loop. */
final class WebFluxContextTest {

  private final CompilationTestHelper helper =
      CompilationTestHelper.newInstance(BlockingCallInNonBlockingContext.class, getClass());

  @Test
  void reactiveControllerMethodsAndHandlerFunctionsMustNotBlock() {
    helper
        .addSourceLines(
            "UserController.java",
            """
            import java.sql.Connection;
            import java.sql.ResultSet;
            import org.springframework.web.bind.annotation.GetMapping;
            import org.springframework.web.bind.annotation.PathVariable;
            import org.springframework.web.bind.annotation.RestController;
            import reactor.core.publisher.Mono;

            @RestController
            class UserController {
              Connection connection;

              @GetMapping("/users/{id}")
              Mono<String> user(@PathVariable String id) throws Exception {
                // BUG: Diagnostic contains: UserController.user(String) (a Spring WebFlux controller method, run on the event loop) calls Statement.executeQuery(String), which blocks on a database call
                ResultSet row = connection.createStatement().executeQuery("select name from users");
                return Mono.just(row.getString(1));
              }

              // Not a handler: no mapping. It may block where it is called from.
              Mono<String> cached() throws Exception {
                return Mono.just(java.nio.file.Files.readString(java.nio.file.Path.of("cache")));
              }
            }
            """)
        .addSourceLines(
            "UserHandler.java",
            """
            import java.nio.file.Files;
            import java.nio.file.Path;
            import org.springframework.web.reactive.function.server.RouterFunction;
            import org.springframework.web.reactive.function.server.RouterFunctions;
            import org.springframework.web.reactive.function.server.ServerRequest;
            import org.springframework.web.reactive.function.server.ServerResponse;
            import reactor.core.publisher.Mono;

            class UserHandler {
              Mono<ServerResponse> list(ServerRequest request) throws Exception {
                // BUG: Diagnostic contains: UserHandler.list(ServerRequest) (a Spring WebFlux handler function, run on the event loop) calls Files.readString(Path)
                String body = Files.readString(Path.of("users.json"));
                return ServerResponse.ok().bodyValue(body);
              }

              static void pause() {
                try {
                  Thread.sleep(5);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }

              RouterFunction<ServerResponse> routes() {
                return RouterFunctions.route()
                    .GET(
                        "/health",
                        // BUG: Diagnostic contains: a lambda in UserHandler.routes() (a Spring WebFlux handler function, run on the event loop) calls UserHandler.pause() -> Thread.sleep(long)
                        request -> { pause(); return ServerResponse.ok().build(); })
                    .build();
              }
            }
            """)
        .doTest();
  }

  @Test
  void theBlockingWorkWrappedOnBoundedElasticIsFine() {
    helper
        .addSourceLines(
            "UserController.java",
            """
            import java.sql.Connection;
            import org.springframework.stereotype.Controller;
            import org.springframework.web.bind.annotation.GetMapping;
            import reactor.core.publisher.Mono;
            import reactor.core.scheduler.Schedulers;

            @Controller
            class UserController {
              Connection connection;

              @GetMapping("/count")
              Mono<Integer> count() {
                return Mono.fromCallable(
                        () -> connection.createStatement().executeQuery("select 1").getInt(1))
                    .subscribeOn(Schedulers.boundedElastic());
              }

              // A servlet-style handler returns a plain value: Spring MVC runs it on a request thread.
              @GetMapping("/plain")
              String plain() throws Exception {
                return String.valueOf(connection.createStatement().executeQuery("select 1").getInt(1));
              }
            }
            """)
        .doTest();
  }
}
