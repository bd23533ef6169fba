package dev.hangcheck.lockgraph;

import static com.google.common.truth.Truth.assertThat;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.Collections2;
import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.hangcheck.testing.EndToEnd;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** One lock graph per javac run: cycles across files, whatever the order of the files. */
final class WholeCompilationTest {

  private static final JavaFileObject ORDERS =
      JavaFileObjects.forSourceString(
          "shop.Orders",
          """
          package shop;

          public class Orders {
            static final Object LOCK = new Object();

            static void place() {
              synchronized (LOCK) {
                Stock.reserve();
              }
            }
          }
          """);

  private static final JavaFileObject STOCK =
      JavaFileObjects.forSourceString(
          "shop.Stock",
          """
          package shop;

          public class Stock {
            static final Object LOCK = new Object();

            static void reserve() {
              synchronized (LOCK) {}
            }

            static void take() {
              synchronized (LOCK) {
                synchronized (Payments.LOCK) {}
              }
            }
          }
          """);

  private static final JavaFileObject PAYMENTS =
      JavaFileObjects.forSourceString(
          "shop.Payments",
          """
          package shop;

          public class Payments {
            static final Object LOCK = new Object();

            static void refund() {
              synchronized (LOCK) {
                synchronized (Orders.LOCK) {}
              }
            }
          }
          """);

  private static final JavaFileObject ALONE =
      JavaFileObjects.forSourceString(
          "shop.Alone",
          """
          package shop;

          public class Alone {
            void nothing() {}
          }
          """);

  @Test
  void cycleAcrossThreeFilesIsReportedAtEachEdge() {
    ImmutableList<String> diagnostics =
        EndToEnd.diagnostics(
            EndToEnd.compile(EndToEnd.LOCK_ORDER, List.of(ORDERS, STOCK, PAYMENTS, ALONE)));
    assertThat(diagnostics)
        .containsExactly(
            "Orders.java:8: [LockOrderInversion] Lock-order cycle Orders.LOCK -> Stock.LOCK ->"
                + " Payments.LOCK -> Orders.LOCK. Here Orders.place() acquires Stock.LOCK while"
                + " holding Orders.LOCK, through calls Stock.reserve() (which acquires it at"
                + " Stock.java:7). Elsewhere: Stock.take() (Stock.java:12) acquires Payments.LOCK"
                + " while holding Stock.LOCK; Payments.refund() (Payments.java:8) acquires"
                + " Orders.LOCK while holding Payments.LOCK. Threads taking these paths at the same"
                + " time deadlock: acquire Orders.LOCK, Stock.LOCK and Payments.LOCK in one global"
                + " order everywhere.",
            "Stock.java:12: [LockOrderInversion] Lock-order cycle Stock.LOCK -> Payments.LOCK ->"
                + " Orders.LOCK -> Stock.LOCK. Here Stock.take() acquires Payments.LOCK while"
                + " holding Stock.LOCK. Elsewhere: Payments.refund() (Payments.java:8) acquires"
                + " Orders.LOCK while holding Payments.LOCK; Orders.place() (Orders.java:8)"
                + " acquires Stock.LOCK while holding Orders.LOCK, through calls Stock.reserve()"
                + " (which acquires it at Stock.java:7). Threads taking these paths at the same"
                + " time deadlock: acquire Stock.LOCK, Payments.LOCK and Orders.LOCK in one global"
                + " order everywhere.",
            "Payments.java:8: [LockOrderInversion] Lock-order cycle Payments.LOCK -> Orders.LOCK"
                + " -> Stock.LOCK -> Payments.LOCK. Here Payments.refund() acquires Orders.LOCK"
                + " while holding Payments.LOCK. Elsewhere: Orders.place() (Orders.java:8) acquires"
                + " Stock.LOCK while holding Orders.LOCK, through calls Stock.reserve() (which"
                + " acquires it at Stock.java:7); Stock.take() (Stock.java:12) acquires"
                + " Payments.LOCK while holding Stock.LOCK. Threads taking these paths at the same"
                + " time deadlock: acquire Payments.LOCK, Orders.LOCK and Stock.LOCK in one global"
                + " order everywhere.")
        .inOrder();
  }

  @Test
  void sameDiagnosticsForEveryOrderOfTheFiles() {
    List<JavaFileObject> files = List.of(ORDERS, STOCK, PAYMENTS);
    List<String> reference = null;
    for (List<JavaFileObject> order : Collections2.permutations(files)) {
      // javac reports file by file in command-line order; within a file, and in content, the
      // diagnostics must not depend on that order.
      List<String> sorted = sortedByFile(EndToEnd.diagnostics(EndToEnd.compile(EndToEnd.LOCK_ORDER, order)));
      if (reference == null) {
        reference = sorted;
        assertThat(reference).hasSize(3);
      } else {
        assertThat(sorted).containsExactlyElementsIn(reference).inOrder();
      }
    }
  }

  private static final JavaFileObject WALLET =
      JavaFileObjects.forSourceString(
          "shop.Wallet",
          """
          package shop;

          public class Wallet {
            long credit;

            static void transfer(Wallet from, Wallet to, long amount) {
              synchronized (from) {
                synchronized (to) {
                  from.credit -= amount;
                }
              }
            }

            static void reassigned(Wallet from, Wallet to) {
              if (from == null) {
                from = to;
              }
              synchronized (from) {
                synchronized (to) {}
              }
            }
          }
          """);

  @Test
  void filesAnalysedBeforeJavacFlowsThemGiveTheSameFindings() {
    // javac attributes every file before Error Prone's first callback, but runs flow analysis
    // (which marks variables effectively final) file by file: a later file must not lose findings.
    String expected =
        "Wallet.java:8: [LockOrderInversion] Lock-order inversion within one method:"
            + " Wallet.transfer(Wallet, Wallet, long) acquires the lock of `to` while holding the"
            + " lock of `from` (Wallet.java:7), two locks of the same class Wallet.";
    for (List<JavaFileObject> order : List.of(List.of(WALLET, ALONE), List.of(ALONE, WALLET))) {
      ImmutableList<String> diagnostics =
          EndToEnd.diagnostics(EndToEnd.compile(EndToEnd.LOCK_ORDER, order));
      assertThat(diagnostics).hasSize(1);
      assertThat(diagnostics.get(0)).startsWith(expected);
    }
  }

  @Test
  void byFileCompilePolicyDegradesWithoutCrashing() {
    Compilation compilation =
        EndToEnd.compile(EndToEnd.LOCK_ORDER, "byfile", List.of(ORDERS, STOCK, PAYMENTS, ALONE));
    // What is found depends on what javac has attributed; what matters is that javac succeeds.
    ImmutableList<String> diagnostics = EndToEnd.diagnostics(compilation);
    assertThat(diagnostics.size()).isAtMost(3);
  }

  private static List<String> sortedByFile(List<String> diagnostics) {
    List<String> sorted = new ArrayList<>(diagnostics);
    // Stable sort by file name only: the order within one file is kept as reported.
    sorted.sort(java.util.Comparator.comparing(line -> line.substring(0, line.indexOf(':'))));
    return sorted.stream().collect(Collectors.toList());
  }

  @Test
  void packageInfoFilesBetweenTheClassesChangeNothing() {
    // A unit that declares no class (package-info.java) is not one the index holds: it must not
    // make the analysis start again, nor lose a finding.
    List<JavaFileObject> files =
        List.of(
            JavaFileObjects.forSourceString("a/package-info", "package a;"),
            JavaFileObjects.forSourceString(
                "a.First",
                "package a; public class First { public static final Object A = new Object();"
                    + " static void one() { synchronized (A) { synchronized (b.Second.B) {} } } }"),
            JavaFileObjects.forSourceString("b/package-info", "package b;"),
            JavaFileObjects.forSourceString(
                "b.Second",
                "package b; public class Second { public static final Object B = new Object();"
                    + " static void two() { synchronized (B) { synchronized (a.First.A) {} } } }"));
    ImmutableList<String> findings =
        EndToEnd.diagnostics(EndToEnd.compile(EndToEnd.LOCK_ORDER, files));
    assertThat(findings).hasSize(2);
    assertThat(findings.get(0)).contains("acquires Second.B while holding First.A");
    assertThat(findings.get(1)).contains("acquires First.A while holding Second.B");
  }
}
