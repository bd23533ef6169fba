package dev.hangcheck.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.common.collect.ImmutableList;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Separate javac runs with Hangcheck, each writing class files to a directory of its own, as the
 * modules of a multi-module build or the steps of an incremental build do: a later run gets the
 * earlier runs' output directories on its class path.
 */
public final class TwoBuilds {

  private final Path root;

  public TwoBuilds(Path root) {
    this.root = root;
  }

  /** The result of one run: javac's exit, and its diagnostics as {@code File.java:line: text}. */
  public record Run(boolean succeeded, ImmutableList<String> diagnostics, Path output) {
    /** The notes javac printed that are attached to no file. */
    public List<String> notes() {
      return diagnostics.stream().filter(d -> d.startsWith("note: ")).toList();
    }
  }

  /**
   * Writes {@code sources} ({@code path, text, path, text, ...}) under {@code name/src} and
   * compiles them into {@code name/classes}, with the output directories of {@code dependencies}
   * on the class path.
   */
  public Run compile(String name, String errorProneFlags, List<Path> dependencies, String... sources) {
    try {
      Path sourceRoot = root.resolve(name).resolve("src");
      Path output = root.resolve(name).resolve("classes");
      Files.createDirectories(output);
      List<File> files = new ArrayList<>();
      for (int i = 0; i + 1 < sources.length; i += 2) {
        Path file = sourceRoot.resolve(sources[i]);
        Files.createDirectories(file.getParent());
        Files.writeString(file, sources[i + 1], UTF_8);
        files.add(file.toFile());
      }
      List<String> classpath = new ArrayList<>();
      dependencies.forEach(dependency -> classpath.add(dependency.toString()));
      classpath.add(System.getProperty("java.class.path"));
      List<String> options =
          List.of(
              "-XDcompilePolicy=simple",
              "--should-stop=ifError=FLOW",
              "-Xplugin:ErrorProne " + errorProneFlags,
              "-processorpath",
              System.getProperty("java.class.path"),
              "-classpath",
              String.join(File.pathSeparator, classpath),
              "-d",
              output.toString());
      JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
      DiagnosticCollector<JavaFileObject> collector = new DiagnosticCollector<>();
      boolean succeeded;
      try (StandardJavaFileManager fileManager =
          javac.getStandardFileManager(collector, Locale.ROOT, UTF_8)) {
        succeeded =
            javac
                .getTask(
                    null,
                    fileManager,
                    collector,
                    options,
                    null,
                    fileManager.getJavaFileObjectsFromFiles(files))
                .call();
      }
      return new Run(succeeded, format(collector.getDiagnostics()), output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Packs {@code classes} (an output directory) into {@code name.jar}, as a build packages a module. */
  public Path jar(Path classes, String name) {
    Path jar = root.resolve(name + ".jar");
    try (java.util.jar.JarOutputStream out =
            new java.util.jar.JarOutputStream(Files.newOutputStream(jar));
        java.util.stream.Stream<Path> files = Files.walk(classes)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        out.putNextEntry(
            new java.util.jar.JarEntry(classes.relativize(file).toString().replace(File.separatorChar, '/')));
        out.write(Files.readAllBytes(file));
        out.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return jar;
  }

  private static ImmutableList<String> format(List<Diagnostic<? extends JavaFileObject>> all) {
    ImmutableList.Builder<String> lines = ImmutableList.builder();
    for (Diagnostic<? extends JavaFileObject> diagnostic : all) {
      String text = diagnostic.getMessage(Locale.ROOT).strip();
      if (diagnostic.getSource() == null) {
        lines.add(diagnostic.getKind().toString().toLowerCase(Locale.ROOT) + ": " + text);
        continue;
      }
      String path = diagnostic.getSource().getName();
      String file = path.substring(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
      lines.add(file + ":" + diagnostic.getLineNumber() + ": " + text);
    }
    return lines.build();
  }
}
