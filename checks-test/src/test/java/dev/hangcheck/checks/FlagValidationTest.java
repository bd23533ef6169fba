package dev.hangcheck.checks;

import static com.google.common.truth.Truth.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.hangcheck.testing.EndToEnd;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** A malformed flag stops the compilation with one readable error, never a stack trace. */
final class FlagValidationTest {

  @Test
  void malformedFlagFailsTheCompilationWithAHelpfulMessage() {
    Compilation compilation =
        EndToEnd.compile(
            EndToEnd.ALL_CHECKS + " -XepOpt:Hangcheck:BlockingMethods=com.acme.Db.query",
            List.of(JavaFileObjects.forSourceString("A", "class A {}")));
    assertThat(compilation.status()).isEqualTo(Compilation.Status.FAILURE);
    assertThat(compilation.errors()).hasSize(1);
    String message = compilation.errors().get(0).getMessage(Locale.ROOT);
    assertThat(message)
        .startsWith(
            "Hangcheck: -XepOpt:Hangcheck:BlockingMethods: 'com.acme.Db.query' is not of the form"
                + " pkg.Type#method (example: -XepOpt:Hangcheck:BlockingMethods=");
    assertThat(message).doesNotContain("Exception");
    assertThat(message).doesNotContain("\tat ");
  }

  @Test
  void unknownCategoryIsNamed() {
    Compilation compilation =
        EndToEnd.compile(
            EndToEnd.ALL_CHECKS + " -XepOpt:Hangcheck:UnderLockCategories=SLEEP,DISK",
            List.of(JavaFileObjects.forSourceString("A", "class A {}")));
    assertThat(compilation.status()).isEqualTo(Compilation.Status.FAILURE);
    assertThat(compilation.errors()).hasSize(1);
    assertThat(compilation.errors().get(0).getMessage(Locale.ROOT)).contains("DISK");
  }

  @Test
  void validFlagsCompile() {
    Compilation compilation =
        EndToEnd.compile(
            EndToEnd.ALL_CHECKS
                + " -XepOpt:Hangcheck:BlockingMethods=com.acme.Db#query"
                + " -XepOpt:Hangcheck:UnderLockCategories=SLEEP,WAIT",
            List.of(JavaFileObjects.forSourceString("A", "class A {}")));
    assertThat(compilation.status()).isEqualTo(Compilation.Status.SUCCESS);
  }
}
