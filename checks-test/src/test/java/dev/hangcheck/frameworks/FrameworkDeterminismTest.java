package dev.hangcheck.frameworks;

import static com.google.common.truth.Truth.assertThat;

import com.google.common.collect.Collections2;
import com.google.testing.compile.JavaFileObjects;
import dev.hangcheck.testing.EndToEnd;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * What the whole compilation tells about framework code (handler objects given to APIs in other
 * files, a handler given to two APIs, lock waits across files) does not depend on the order of the
 * files.
 */
final class FrameworkDeterminismTest {

  private static final JavaFileObject REFRESH =
      JavaFileObjects.forSourceString(
          "ui.Refresh",
          """
          package ui;

          import java.nio.file.Files;
          import java.nio.file.Path;

          public class Refresh implements Runnable {
            @Override
            public void run() {
              try {
                Files.readString(Path.of("status"));
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            }
          }
          """);

  private static final JavaFileObject SCREEN =
      JavaFileObjects.forSourceString(
          "ui.Screen",
          """
          package ui;

          import javax.swing.SwingUtilities;

          public class Screen {
            void later() {
              SwingUtilities.invokeLater(new Refresh());
            }
          }
          """);

  private static final JavaFileObject LOOP =
      JavaFileObjects.forSourceString(
          "ui.Loop",
          """
          package ui;

          import io.netty.channel.Channel;

          public class Loop {
            void later(Channel channel) {
              channel.eventLoop().execute(new Refresh());
            }
          }
          """);

  private static final JavaFileObject CATALOG =
      JavaFileObjects.forSourceString(
          "ui.Catalog",
          """
          package ui;

          import java.nio.file.Files;
          import java.nio.file.Path;
          import javax.swing.JButton;

          public class Catalog {
            private String text = "";

            synchronized void reload(Path file) throws java.io.IOException {
              text = Files.readString(file);
            }

            synchronized String text() {
              return text;
            }

            void wire(JButton show) {
              show.addActionListener(e -> System.out.println(text()));
            }
          }
          """);

  @Test
  void sameDiagnosticsForEveryOrderOfTheFiles() {
    List<String> reference = null;
    for (List<JavaFileObject> order : Collections2.permutations(List.of(REFRESH, SCREEN, LOOP, CATALOG))) {
      List<String> sorted = new ArrayList<>(EndToEnd.diagnostics(EndToEnd.compile(EndToEnd.ALL_CHECKS, order)));
      sorted.sort(Comparator.comparing(line -> line.substring(0, line.indexOf(':'))));
      if (reference == null) {
        reference = sorted;
        assertThat(String.join("\n", reference)).contains("Refresh.run() (a task run on ");
        assertThat(String.join("\n", reference)).contains("which Catalog.reload(Path) holds while it calls");
      } else {
        assertThat(sorted).containsExactlyElementsIn(reference).inOrder();
      }
    }
  }
}
