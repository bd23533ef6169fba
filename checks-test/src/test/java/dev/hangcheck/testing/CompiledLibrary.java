package dev.hangcheck.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Compiles sources to class files, for tests of code that reaches the checked compilation as a jar
 * would: through the classpath, with {@code CLASS}-retention annotations in the class files.
 */
public final class CompiledLibrary {

  private final Path root;
  private final List<Path> sources = new ArrayList<>();

  public CompiledLibrary(Path root) {
    this.root = root;
  }

  /** Adds a source file, e.g. {@code ("com/acme/Db.java", "package com.acme; ...")}. */
  public CompiledLibrary addSourceLines(String path, String... lines) {
    try {
      Path source = root.resolve("src").resolve(path);
      Files.createDirectories(source.getParent());
      Files.write(source, List.of(lines), UTF_8);
      sources.add(source);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /**
   * Compiles the sources against the test's classpath and returns the {@code -classpath} value for
   * a compilation that uses them.
   */
  public String compileToClasspath() {
    Path classes = root.resolve("classes");
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    List<String> arguments = new ArrayList<>();
    arguments.add("-d");
    arguments.add(classes.toString());
    arguments.add("-classpath");
    arguments.add(System.getProperty("java.class.path"));
    arguments.add("-proc:none");
    sources.forEach(source -> arguments.add(source.toString()));
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    int exitCode = javac.run(null, output, output, arguments.toArray(new String[0]));
    assertTrue(exitCode == 0, () -> "The library did not compile:\n" + output.toString(UTF_8));
    return classes + File.pathSeparator + System.getProperty("java.class.path");
  }
}
