package dev.hangcheck.engine;

import static com.google.common.truth.Truth.assertThat;

import com.google.errorprone.CompilationTestHelper;
import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.hangcheck.testing.EndToEnd;
import java.util.List;
import java.util.Locale;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import dev.hangcheck.checks.LockOrderInversion;
import org.junit.jupiter.api.Test;

/** Every construct of Java 17, and code that does not resolve, passes through without a crash. */
final class RobustnessTest {

  private final CompilationTestHelper helper =
      CompilationTestHelper.newInstance(LockOrderInversion.class, getClass());

  /** Every construct of Java 17 at least once, locks and blocking calls among them. */
  private static final String EVERYTHING =
      """
          import java.util.List;
          import java.util.concurrent.locks.ReentrantLock;
          import java.util.function.Supplier;

          sealed interface Shape permits Circle, Square {
            default double scaled(double factor) {
              return area() * factor;
            }

            static Shape unit() {
              return new Circle(1);
            }

            double area();
          }

          record Circle(double radius) implements Shape {
            Circle {
              if (radius < 0) {
                throw new IllegalArgumentException();
              }
            }

            public double area() {
              synchronized (this) {
                return Math.PI * radius * radius;
              }
            }
          }

          final class Square implements Shape {
            private final double side;

            Square(double side) {
              this.side = side;
            }

            public double area() {
              return side * side;
            }
          }

          enum Mode {
            FAST {
              @Override
              int weight() {
                synchronized (Everything.LOCK) {
                  return 1;
                }
              }
            },
            SLOW {
              @Override
              int weight() {
                return 2;
              }
            };

            abstract int weight();
          }

          class Everything<T extends Comparable<T>> {
            static final Object LOCK = new Object();
            static final ReentrantLock OTHER = new ReentrantLock();
            static int counter;

            static {
              synchronized (LOCK) {
                counter = 1;
              }
            }

            {
              synchronized (LOCK) {
                counter++;
              }
            }

            private final Supplier<String> field = () -> {
              synchronized (LOCK) {
                return "x";
              }
            };

            <R extends T> R generic(R value, List<? super R> sink) {
              sink.add(value);
              return value;
            }

            String describe(Object shape) {
              var text = \"""
                  text block
                  \""";
              String kind =
                  switch (shape.hashCode() % 3) {
                    case 0 -> "zero";
                    default -> {
                      if (shape instanceof Circle c && c.radius() > 1) {
                        yield "big circle";
                      }
                      yield "other";
                    }
                  };
              int size =
                  switch (kind.length()) {
                    case 1, 2 -> 1;
                    case 3 -> {
                      synchronized (LOCK) {
                        yield 3;
                      }
                    }
                    default -> 0;
                  };
              return text + kind + size;
            }

            class Inner {
              void run() {
                synchronized (Everything.this) {
                  OTHER.lock();
                  try {
                    new Object() {
                      void local() {
                        synchronized (LOCK) {}
                      }
                    }.local();
                  } finally {
                    OTHER.unlock();
                  }
                }
              }
            }

            void locals() {
              class Local {
                synchronized void touch() {}
              }
              new Local().touch();
              Runnable r = Everything::staticMethod;
              r.run();
              int[] array = {1, 2};
              for (int i : array) {
                counter += i;
              }
              label:
              while (counter > 0) {
                counter--;
                if (counter == 5) {
                  break label;
                }
              }
              try (var resource = new java.io.StringReader("")) {
                resource.read();
              } catch (java.io.IOException | RuntimeException e) {
                counter = 0;
              }
              assert counter >= 0 : "negative";
            }

            void reassigned(Object value, int type) {
              switch (type) {
                case 1:
                  value = String.valueOf(value);
                  break;
                case 2:
                  synchronized (value) {}
                  return;
                default:
              }
              Object chosen =
                  switch (type) {
                    case 3 -> {
                      value = "three";
                      yield value;
                    }
                    default -> value;
                  };
              synchronized (chosen) {}
              if (type > 0) {
                value = "x";
              } else {
                synchronized (value) {}
              }
            }

            static void staticMethod() {}
          }
          """;

  @Test
  void everyJava17ConstructPassesThrough() {
    helper.addSourceLines("Everything.java", EVERYTHING).expectNoDiagnostics().doTest();
  }

  @Test
  void everyJava17ConstructPassesThroughAllChecksUnderBothCompilePolicies() {
    for (String policy : List.of("simple", "byfile")) {
      Compilation compilation =
          EndToEnd.compile(
              EndToEnd.ALL_CHECKS,
              policy,
              List.of(JavaFileObjects.forSourceString("Everything", EVERYTHING)));
      assertThat(EndToEnd.diagnostics(compilation)).isEmpty();
    }
  }

  @Test
  void declaredOrdersAndTheReportsPassThroughJava17ConstructsUnderBothCompilePolicies(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path reports) throws java.io.IOException {
    String declared =
        """
        import dev.hangcheck.annotations.AcquiredAfter;
        import dev.hangcheck.annotations.AcquiredBefore;

        @AcquiredBefore("Declared.Inner")
        record Declared(@AcquiredBefore("Declared.class") Object lock, int size) {
          interface Constants {
            @AcquiredAfter("Declared") Object SHARED = new Object();
          }

          enum Mode { @AcquiredBefore("Mode.class") FAST, SLOW }

          static final class Inner {
            synchronized void touch(Declared outer) {
              synchronized (outer) {
                Runnable local = new Runnable() {
                  @AcquiredBefore({}) final Object mine = new Object();
                  public void run() {}
                };
                local.run();
              }
            }
          }
        }
        """;
    for (String policy : List.of("simple", "byfile")) {
      java.nio.file.Path prefix = reports.resolve(policy);
      Compilation compilation =
          EndToEnd.compile(
              EndToEnd.ALL_CHECKS
                  + " -XepOpt:Hangcheck:LockGraph="
                  + prefix.resolve("lock-graph")
                  + " -XepOpt:Hangcheck:Sarif="
                  + prefix.resolve("hangcheck.sarif"),
              policy,
              List.of(
                  JavaFileObjects.forSourceString("Everything", EVERYTHING),
                  JavaFileObjects.forSourceString("Declared", declared)));
      assertThat(compilation.errors()).isEmpty();
      // Inner's monitor, then outer's: against "Declared before Declared.Inner".
      assertThat(EndToEnd.diagnostics(compilation))
          .containsExactly(
              "Declared.java:14: [LockOrderViolation] Lock-order violation: the declared order puts"
                  + " the monitor of a Declared before the monitor of a Declared.Inner"
                  + " (@AcquiredBefore on Declared (Declared.java:4)), but"
                  + " Declared.Inner.touch(Declared) acquires `outer` (the monitor of a Declared)"
                  + " while holding the monitor of a Declared.Inner. A thread that keeps to the"
                  + " declared order deadlocks with this one: acquire the monitor of a Declared"
                  + " before the monitor of a Declared.Inner, or release the monitor of a"
                  + " Declared.Inner first.");
      assertThat(java.nio.file.Files.readString(prefix.resolve("hangcheck.sarif")))
          .contains("\"ruleId\": \"LockOrderViolation\"");
      assertThat(java.nio.file.Files.readString(prefix.resolve("lock-graph.json")))
          .contains("\"violatesDeclaredOrder\": true");
    }
  }

  @Test
  void unresolvedCodePassesThrough() {
    Compilation compilation =
        EndToEnd.compile(
            EndToEnd.LOCK_ORDER,
            "simple",
            List.of(
                JavaFileObjects.forSourceString(
                    "Broken",
                    """
                    class Broken {
                      static final Object LOCK = new Object();

                      void use() {
                        synchronized (LOCK) {
                          Missing.call();
                          synchronized (unknownField) {}
                          UnknownType value = new UnknownType();
                          value.lock();
                        }
                      }
                    }
                    """)));
    assertFailsOnlyForUnresolvedSymbols(compilation);
  }

  @Test
  void unresolvedValuesInTheValueFlowPassThrough() {
    // Calls whose receivers come from code that does not resolve: the value flow is asked.
    Compilation compilation =
        EndToEnd.compile(
            EndToEnd.LOCK_ORDER,
            "simple",
            List.of(
                JavaFileObjects.forSourceString(
                    "BrokenFlow",
                    """
                    interface Sink {
                      void put(Object value);
                    }

                    class Quiet implements Sink {
                      public void put(Object value) {}
                    }

                    class Loud implements Sink {
                      public synchronized void put(Object value) {}
                    }

                    class BrokenFlow {
                      static final Object LOCK = new Object();
                      private Sink sink = Missing.make();
                      private Sink other;

                      void wire(Unknown unknown) {
                        other = unknown.sink(new Quiet(), (Sink) Missing.cast(new Loud()));
                        Sink local = switch (unknown.kind()) {
                          case 1 -> new Quiet();
                          default -> missing();
                        };
                        use(local, local instanceof Loud loud ? loud : null);
                      }

                      private void use(Sink first, Sink second) {
                        synchronized (LOCK) {
                          sink.put(first);
                          other.put(second);
                          first.put(unknownValue);
                          second.put(this);
                        }
                      }
                    }
                    """)));
    assertFailsOnlyForUnresolvedSymbols(compilation);
  }

  @Test
  void unresolvedFrameworkCodePassesThrough() {
    Compilation compilation =
        EndToEnd.compile(
            EndToEnd.ALL_CHECKS,
            "simple",
            List.of(
                JavaFileObjects.forSourceString(
                    "BrokenHandlers",
                    """
                    import io.vertx.core.Vertx;
                    import reactor.core.publisher.Mono;

                    class BrokenHandlers {
                      void start(Vertx vertx, Unknown unknown) {
                        vertx.createHttpServer().requestHandler(request -> missing(request)).listen(8080);
                        unknown.handler(x -> pause(x));
                        vertx.setTimer(10, new Handler<Long>() {
                          public void handle(Long id) {
                            gone();
                          }
                        });
                        Mono.fromCallable(() -> nothing()).subscribeOn(Unknown.pool()).map(this::absent);
                        javax.swing.SwingUtilities.invokeLater(Missing::run);
                      }
                    }
                    """)));
    assertThat(compilation.status()).isEqualTo(Compilation.Status.FAILURE);
    for (Diagnostic<? extends JavaFileObject> error : compilation.errors()) {
      assertThat(error.getMessage(Locale.ROOT))
          .containsMatch("cannot find symbol|invalid method reference");
    }
  }

  /** javac's own errors for the missing symbols, and nothing from Hangcheck. */
  private static void assertFailsOnlyForUnresolvedSymbols(Compilation compilation) {
    assertThat(compilation.status()).isEqualTo(Compilation.Status.FAILURE);
    for (Diagnostic<? extends JavaFileObject> error : compilation.errors()) {
      assertThat(error.getMessage(Locale.ROOT)).startsWith("cannot find symbol");
    }
  }
}
