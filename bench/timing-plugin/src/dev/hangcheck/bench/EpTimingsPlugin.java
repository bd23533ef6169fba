package dev.hangcheck.bench;

import com.google.errorprone.ErrorProneTimings;
import com.sun.source.util.JavacTask;
import com.sun.source.util.Plugin;
import com.sun.source.util.TaskEvent;
import com.sun.source.util.TaskListener;
import com.sun.tools.javac.api.BasicJavacTask;
import com.sun.tools.javac.util.Context;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Benchmark helper, not part of Hangcheck: a javac plugin that writes Error Prone's own per-check
 * timings when the compilation ends.
 *
 * <p>Error Prone times every matcher call of every check ({@code VisitorState.timingSpan}) into a
 * Context-keyed {@link ErrorProneTimings}, but the open-source javac plugin never prints them
 * (Bazel does). This plugin reads them from the same javac Context.
 *
 * <p>Usage: put the jar on -processorpath next to Error Prone and pass {@code -Xplugin:EpTimings
 * /path/out.tsv}. Output: {@code check<TAB>milliseconds} lines, sorted by time (descending), plus
 * {@code _initialization} (Error Prone's scanner set-up) and {@code _heapUsedMiB} (Java heap in use
 * at the end of the compilation, before any forced GC: an indication only).
 */
public final class EpTimingsPlugin implements Plugin {

  @Override
  public String getName() {
    return "EpTimings";
  }

  @Override
  public void init(JavacTask task, String... args) {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: -Xplugin:EpTimings <output file>");
    }
    Path out = Path.of(args[0]);
    Context context = ((BasicJavacTask) task).getContext();
    task.addTaskListener(
        new TaskListener() {
          @Override
          public void finished(TaskEvent e) {
            if (e.getKind() == TaskEvent.Kind.COMPILATION) {
              write(context, out);
            }
          }
        });
  }

  private static void write(Context context, Path out) {
    ErrorProneTimings timings = ErrorProneTimings.instance(context);
    List<Map.Entry<String, Duration>> entries = new ArrayList<>(timings.timings().entrySet());
    entries.sort((a, b) -> b.getValue().compareTo(a.getValue()));
    Runtime rt = Runtime.getRuntime();
    try (PrintWriter w =
        new PrintWriter(Files.newBufferedWriter(out, StandardCharsets.UTF_8))) {
      for (Map.Entry<String, Duration> en : entries) {
        w.printf("%s\t%.1f%n", en.getKey(), en.getValue().toNanos() / 1e6);
      }
      w.printf("_initialization\t%.1f%n", timings.initializationTime().toNanos() / 1e6);
      w.printf("_heapUsedMiB\t%d%n", (rt.totalMemory() - rt.freeMemory()) >> 20);
    } catch (IOException ex) {
      System.err.println("EpTimings: cannot write " + out + ": " + ex);
    }
  }
}
