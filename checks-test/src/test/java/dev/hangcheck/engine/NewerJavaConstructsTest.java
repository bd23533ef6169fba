package dev.hangcheck.engine;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.hangcheck.testing.EndToEnd;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The constructs of Java 18 to 25 pass through every check, with locks, blocking calls and
 * framework code inside them, and are analysed like the others: run on the JDK 25 leg of CI.
 */
final class NewerJavaConstructsTest {

  @Test
  void java21To25ConstructsPassThroughAndAreAnalysed() {
    assumeTrue(Runtime.version().feature() >= 25, "needs JDK 25");
    Compilation compilation =
        EndToEnd.compile(
            EndToEnd.ALL_CHECKS,
            List.of(
                JavaFileObjects.forSourceString(
                    "Shapes",
                    """
                    import module java.base;

                    sealed interface Shape permits Circle, Square, Group {}
                    record Circle(double radius) implements Shape {}
                    record Square(double side) implements Shape {}
                    record Group(Shape first, Shape second) implements Shape {}

                    class Shapes {
                      private final Object lock = new Object();
                      private final double scale;

                      Shapes(double scale) {
                        if (scale <= 0) {
                          throw new IllegalArgumentException("scale");
                        }
                        super(); // flexible constructor body (Java 25)
                        this.scale = scale;
                      }

                      double area(Shape shape) throws InterruptedException {
                        synchronized (lock) {
                          return switch (shape) {
                            case Circle(double r) when r > 100 -> {
                              Thread.sleep(1); // under lock, in a guarded record pattern
                              yield Math.PI * r * r * scale;
                            }
                            case Circle(double r) -> Math.PI * r * r * scale;
                            case Square(var side) -> side * side * scale;
                            case Group(Shape a, _) -> area(a); // unnamed pattern (Java 22)
                          };
                        }
                      }

                      void later(List<Shape> shapes) {
                        javax.swing.SwingUtilities.invokeLater(
                            () -> {
                              for (Shape _ : shapes) { // unnamed variable (Java 22)
                                try {
                                  Files.readString(Path.of("shape"));
                                } catch (IOException e) {
                                  throw new UncheckedIOException(e);
                                }
                              }
                            });
                      }

                      double scale() {
                        synchronized (lock) {
                          return scale;
                        }
                      }
                    }
                    """),
                JavaFileObjects.forSourceString(
                    "Main",
                    """
                    final Object console = new Object();

                    void main() { // a compact source file (Java 25)
                      synchronized (console) {
                        IO.println(IO.readln("name? "));
                      }
                    }
                    """)));
    List<String> findings = EndToEnd.diagnostics(compilation);
    assertThat(findings)
        .contains(
            "Shapes.java:24: [BlockingCallUnderLock] Blocking call under lock: Shapes.area(Shape)"
                + " holds Shapes.lock (taken at Shapes.java:21) and calls Thread.sleep(long), which"
                + " sleeps. Every thread that needs Shapes.lock waits as long, such as"
                + " Shapes.scale() (Shapes.java:48), which takes it without blocking; if what the"
                + " call waits for needs the lock, it never returns. Fix: move the call out of the"
                + " locked region (copy what it needs under the lock, call after unlocking).");
    assertThat(String.join("\n", findings))
        .contains(
            "Shapes.java:39: [BlockingCallInNonBlockingContext] Blocking call in non-blocking code:"
                + " a lambda in Shapes.later(List) (a task run on the event dispatch thread) calls"
                + " Files.readString(Path)");
  }
}
