package dev.hangcheck.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.collect.ImmutableList;
import dev.hangcheck.catalog.BlockingCatalog.Entry;
import dev.hangcheck.catalog.BlockingCatalog.EntryKind;
import dev.hangcheck.catalog.BlockingCatalog;
import dev.hangcheck.catalog.BlockingCategory;
import java.lang.reflect.Executable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Checks the catalog's data itself: its format, and that its JDK entries name real members. */
final class BlockingCatalogContentTest {

  @Test
  void everyJdkEntry_namesAnExistingMember() {
    List<String> problems = new ArrayList<>();
    int checked = 0;
    for (Entry entry : BlockingCatalog.builtInEntries()) {
      if (!entry.typeName().startsWith("java.") && !entry.typeName().startsWith("javax.")) {
        continue;
      }
      if (entry.sinceJdk() > Runtime.version().feature()) {
        continue; // a member of a newer JDK: checked when the tests run on that JDK
      }
      checked++;
      Class<?> type = loadClass(entry.typeName());
      if (type == null) {
        problems.add(entry + ": no such type");
      } else if (!hasMember(type, entry)) {
        problems.add(entry + ": no such member");
      }
    }
    assertEquals(List.of(), problems);
    assertTrue(checked > 100, "only " + checked + " JDK entries");
  }

  @Test
  void noEntryIsDeclared() {
    for (Entry entry : BlockingCatalog.builtInEntries()) {
      assertTrue(entry.category() != BlockingCategory.DECLARED, entry::toString);
    }
  }

  @Test
  void parse_readsEveryForm() {
    ImmutableList<Entry> entries =
        BlockingCatalog.parse(
            "test.txt",
            List.of(
                "# a comment",
                "",
                "   ",
                "SLEEP java.lang.Thread#sleep",
                "WAIT  java.lang.Object#wait(long, int)",
                "FILE java.io.FileInputStream#<init>",
                "NETWORK java.net.Socket#<init>(java.lang.String,int)",
                "WAIT java.util.concurrent.BlockingDeque#take*",
                "WAIT com.google.common.util.concurrent.Uninterruptibles#*",
                "FILE java.io.RandomAccessFile#write(byte[],int,int)",
                "WAIT java.lang.Object#wait()",
                "WAIT java.util.concurrent.ExecutorService#close since=19"));

    assertEquals(
        List.of(
            "SLEEP java.lang.Thread#sleep",
            "WAIT java.lang.Object#wait(long,int)",
            "FILE java.io.FileInputStream#<init>",
            "NETWORK java.net.Socket#<init>(java.lang.String,int)",
            "WAIT java.util.concurrent.BlockingDeque#take*",
            "WAIT com.google.common.util.concurrent.Uninterruptibles#*",
            "FILE java.io.RandomAccessFile#write(byte[],int,int)",
            "WAIT java.lang.Object#wait()",
            "WAIT java.util.concurrent.ExecutorService#close"),
        entries.stream().map(Entry::toString).collect(Collectors.toList()));
    assertEquals(EntryKind.PREFIX, entries.get(4).kind());
    assertEquals("take", entries.get(4).memberName());
    assertEquals(EntryKind.WHOLE_TYPE, entries.get(5).kind());
    assertEquals(List.of(), entries.get(7).parameterTypes());
    assertEquals(0, entries.get(7).sinceJdk());
    assertEquals(19, entries.get(8).sinceJdk());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "SLEEP java.lang.Thread | expected exactly one '#'",
        "SLEEP java.lang.Thread#sleep#again | expected exactly one '#'",
        "java.lang.Thread#sleep | expected CATEGORY pkg.Type#member",
        "NAP java.lang.Thread#sleep | 'NAP' is not a catalog category",
        "DECLARED com.acme.Db#query | 'DECLARED' is not a catalog category",
        "SLEEP Thread#sleep | 'Thread' is not a qualified type name",
        "WAIT java.lang.Object#wait(long | the parameter list does not end with ')'",
        "WAIT java.lang.Object#wa-it | 'wa-it' is not a method name",
        "WAIT java.util.concurrent.BlockingDeque#take*(long) | a name prefix takes no parameter",
        "WAIT com.google.Uninterruptibles#*(long) | '*' takes no parameter list",
        "WAIT java.lang.Object#wait(Long) | 'Long' is not an erased parameter type",
        "WAIT java.lang.Object#wait(java.util.List<String>) | is not an erased parameter type",
        "WAIT java.lang.Thread#join since=11 | 'since=11' is for JDK members newer than 17",
      })
  void parse_rejectsMalformedLinesWithTheirLineNumber(String line, String problem) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> BlockingCatalog.parse("test.txt", List.of("# comment", line)));

    assertTrue(e.getMessage().startsWith("test.txt:2: "), e.getMessage());
    assertTrue(e.getMessage().contains(problem), e.getMessage());
  }

  private static @Nullable Class<?> loadClass(String canonicalName) {
    // Nested types are written with dots; try each dot from the right as a '$'.
    String name = canonicalName;
    while (true) {
      try {
        return Class.forName(name, false, BlockingCatalogContentTest.class.getClassLoader());
      } catch (ClassNotFoundException e) {
        int lastDot = name.lastIndexOf('.');
        if (lastDot < 0) {
          return null;
        }
        name = name.substring(0, lastDot) + "$" + name.substring(lastDot + 1);
      }
    }
  }

  private static boolean hasMember(Class<?> type, Entry entry) {
    if (entry.kind() == EntryKind.WHOLE_TYPE) {
      return type.getDeclaredMethods().length > 0;
    }
    if (entry.memberName().equals("<init>")) {
      return Arrays.stream(type.getDeclaredConstructors())
          .anyMatch(constructor -> hasParameters(constructor, entry.parameterTypes()));
    }
    return allMethods(type)
        .anyMatch(
            method ->
                (entry.kind() == EntryKind.PREFIX
                        ? method.getName().startsWith(entry.memberName())
                        : method.getName().equals(entry.memberName()))
                    && hasParameters(method, entry.parameterTypes()));
  }

  private static boolean hasParameters(
      Executable executable, @Nullable List<String> parameterTypes) {
    return parameterTypes == null
        || Arrays.stream(executable.getParameterTypes())
            .map(Class::getCanonicalName)
            .collect(Collectors.toList())
            .equals(parameterTypes);
  }

  /** The methods declared in the type and in all its supertypes. */
  private static Stream<java.lang.reflect.Method> allMethods(Class<?> type) {
    List<java.lang.reflect.Method> methods = new ArrayList<>();
    Deque<Class<?>> pending = new ArrayDeque<>(List.of(type));
    Set<Class<?>> seen = new HashSet<>();
    while (!pending.isEmpty()) {
      Class<?> current = pending.pop();
      if (!seen.add(current)) {
        continue;
      }
      methods.addAll(Arrays.asList(current.getDeclaredMethods()));
      if (current.getSuperclass() != null) {
        pending.push(current.getSuperclass());
      }
      pending.addAll(Arrays.asList(current.getInterfaces()));
    }
    return methods.stream();
  }
}
