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

  @Test
  void misspelledFlagNamesTheOneMeant() {
    String message =
        onlyError(EndToEnd.ALL_CHECKS + " -XepOpt:Hangcheck:NonBlockingMethod=com.acme.Gateway#fetch");
    assertThat(message)
        .contains(
            "'Hangcheck:NonBlockingMethod' is not a Hangcheck flag; did you mean"
                + " -XepOpt:Hangcheck:NonBlockingMethods? The flags are");
  }

  @Test
  void misspelledCategoryNamesTheOneMeant() {
    assertThat(onlyError(EndToEnd.ALL_CHECKS + " -XepOpt:Hangcheck:UnderLockCategories=SLEP"))
        .contains("'SLEP' is not a blocking category; did you mean SLEEP? The categories are");
  }

  @Test
  void aFlagFarFromEveryNameGetsNoGuess() {
    assertThat(onlyError(EndToEnd.ALL_CHECKS + " -XepOpt:Hangcheck:Frobnicate=1"))
        .contains("'Hangcheck:Frobnicate' is not a Hangcheck flag; the flags are");
  }

  @Test
  void aFlagGivenTwiceWithDifferentValuesIsAnError() {
    assertThat(
            onlyError(
                EndToEnd.ALL_CHECKS
                    + " -XepOpt:Hangcheck:BlockingMethods=com.acme.Db#query"
                    + " -XepOpt:Hangcheck:BlockingMethods=com.acme.Cache#load"))
        .isEqualTo(
            "Hangcheck: -XepOpt:Hangcheck:BlockingMethods is given more than once"
                + " ('com.acme.Db#query', then 'com.acme.Cache#load'), and Error Prone keeps only"
                + " the last: give it once, with all its entries separated by commas (example:"
                + " -XepOpt:Hangcheck:BlockingMethods=com.acme.Db#query,com.acme.Cache#load)");
  }

  @Test
  void aFlagGivenTwiceWithTheSameValueIsFine() {
    Compilation compilation =
        EndToEnd.compile(
            EndToEnd.ALL_CHECKS
                + " -XepOpt:Hangcheck:BlockingMethods=com.acme.Db#query"
                + " -XepOpt:Hangcheck:BlockingMethods=com.acme.Db#query",
            List.of(JavaFileObjects.forSourceString("A", "class A {}")));
    assertThat(compilation.status()).isEqualTo(Compilation.Status.SUCCESS);
  }

  @Test
  void aTypeNotOnTheClassPathIsWarnedOfOnce() {
    Compilation compilation =
        EndToEnd.compile(
            EndToEnd.ALL_CHECKS
                + " -XepOpt:Hangcheck:NonBlockingMethods=com.acme.Gatway#fetch,java.lang.Runnable#run",
            List.of(
                JavaFileObjects.forSourceString("A", "class A {}"),
                JavaFileObjects.forSourceString("B", "class B {}")));
    assertThat(compilation.status()).isEqualTo(Compilation.Status.SUCCESS);
    List<String> hangcheckWarnings =
        compilation.warnings().stream()
            .filter(warning -> warning.getMessage(Locale.ROOT).startsWith("Hangcheck:"))
            .peek(warning -> assertThat(warning.getSource()).isNull())
            .map(warning -> warning.getMessage(Locale.ROOT))
            .toList();
    assertThat(hangcheckWarnings)
        .containsExactly(
            "Hangcheck: -XepOpt:Hangcheck:NonBlockingMethods: com.acme.Gatway#fetch names"
                + " com.acme.Gatway, which is not on the class path of this compilation, so it"
                + " matches nothing here (misspelled, or in a library this module does not use?)");
  }

  /**
   * The one error of a compilation with {@code flags}: attached to no source file, which build
   * tools would print as if that file were at fault.
   */
  @Test
  void aLockOrderOfOneLockIsRejected() {
    assertThat(onlyError(EndToEnd.ALL_CHECKS + " -XepOpt:Hangcheck:LockOrder=com.acme.Bank.accounts"))
        .contains(
            "'com.acme.Bank.accounts' names one lock; an order needs two or more, first acquired"
                + " first (example: -XepOpt:Hangcheck:LockOrder=");
  }

  @Test
  void aLockOrderNameWithoutPackageIsRejected() {
    assertThat(onlyError(EndToEnd.ALL_CHECKS + " -XepOpt:Hangcheck:LockOrder=Bank,com.acme.Ledger"))
        .contains("'Bank' has no package; write the fully qualified lock name");
  }

  @Test
  void aLockOrderNameTheCompilationDoesNotHaveIsOneError() {
    assertThat(
            onlyError(
                EndToEnd.ALL_CHECKS
                    + " -XepOpt:Hangcheck:LockOrder=com.acme.Bank.accounts,java.lang.Object.class"))
        .isEqualTo(
            "Hangcheck: -XepOpt:Hangcheck:LockOrder names com.acme.Bank.accounts, which is no"
                + " class, no field of a class and no class literal on the class path; write"
                + " pkg.Type.field, pkg.Type or pkg.Type.class");
  }

  @Test
  void anOutputPathThatIsADirectoryIsRejected() {
    assertThat(onlyError(EndToEnd.ALL_CHECKS + " -XepOpt:Hangcheck:Sarif=target/"))
        .contains("'target/' names a directory; write the path of the file to write");
  }

  private static String onlyError(String flags) {
    Compilation compilation =
        EndToEnd.compile(flags, List.of(JavaFileObjects.forSourceString("A", "class A {}")));
    assertThat(compilation.status()).isEqualTo(Compilation.Status.FAILURE);
    assertThat(compilation.errors()).hasSize(1);
    assertThat(compilation.errors().get(0).getSource()).isNull();
    return compilation.errors().get(0).getMessage(Locale.ROOT);
  }
}
